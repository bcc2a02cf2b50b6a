/** Robustness tests: the network servers fed garbage, truncated and abandoned requests over raw sockets. */
package eplua.net.robust;
