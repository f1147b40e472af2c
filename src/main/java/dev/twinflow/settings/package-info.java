/** Settings every layer reads (data dir, node name, HTTP limits); a leaf package that imports nothing of twinflow. */
package dev.twinflow.settings;
