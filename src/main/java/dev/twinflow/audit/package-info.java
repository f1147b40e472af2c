/** The delivery audit: per source, what was sent, what arrived, what is missing or doubled, and how late. */
package dev.twinflow.audit;
