/**
 * Tasks and coroutines on fibers that take turns with the loop thread through one baton. On Java 21+ the fibers are
 * virtual threads mounted on the loop thread itself ({@link eplua.core.internal.task.LoopCarrier}), so a turn is a
 * continuation switch; on Java 17 they are daemon platform threads.
 */
package eplua.core.internal.task;
