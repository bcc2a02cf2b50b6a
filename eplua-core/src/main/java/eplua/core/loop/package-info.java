/** The loop's bookkeeping: the registry of pending things that keep an engine alive, and timers. */
package eplua.core.loop;
