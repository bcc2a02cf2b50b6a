/** Tasks and coroutines on fibers that take turns with the loop thread through one baton. */
package eplua.core.task;
