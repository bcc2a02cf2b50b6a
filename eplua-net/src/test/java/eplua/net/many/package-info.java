/** Many engines in one JVM: what a host running hundreds of isolated scripts relies on. */
package eplua.net.many;
