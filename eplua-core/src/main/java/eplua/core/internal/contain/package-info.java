/**
 * What an engine's scripts may do and how much: its profile (trusted or sandbox), the network allow-lists, the
 * sandboxed standard library, and the budgets that stop a runaway script with a catchable {@code budget:} error.
 */
package eplua.core.internal.contain;
