/** The dashboard: a page at {@code /} fed one snapshot a second over Server-Sent Events by {@code /dashboard/events}. */
package dev.twinflow.dashboard;
