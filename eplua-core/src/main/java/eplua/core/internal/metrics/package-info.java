/** What an engine tells about itself while it runs: its meter, JMX bean, JFR events and the blocked-loop watchdog. */
package eplua.core.internal.metrics;
