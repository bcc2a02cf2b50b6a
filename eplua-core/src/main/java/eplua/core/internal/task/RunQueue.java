package eplua.core.internal.task;

import eplua.core.internal.loop.Timers;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaThread;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * Task starts and resumptions waiting for their turn, in order, and who runs them. The loop hands a run of starts to
 * one pooled fiber, which runs them one after another; a fiber that stops hands the baton straight to the next
 * queued resumption or start (one switch instead of two through the loop thread). Touched only by the baton holder.
 */
final class RunQueue {
    private final Scheduler s;
    // the parts used on every start and resumption, at hand (Tasks is made after this: reached through s)
    private final Baton baton;
    private final FiberPool pool;
    private final Globals globals;
    private final LuaThread mainThread;
    private final Executor loopJobs;
    /** Tasks, and the tickets of due Lua timers, whose tasks are made when they start ({@link Tasks#queueTimer}). */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Starts that found every fiber busy (at the engine's cap): each goes first when a fiber is free again. */
    private final ArrayDeque<LuaTask> waiting = new ArrayDeque<>();
    private final Runnable drainTask = this::drain;
    private boolean drainScheduled;
    private boolean draining;
    /** Counts and times turns (null before the engine sets it, or with -Deplua.metrics=false). */
    eplua.core.internal.metrics.Meter meter;
    /** The task whose code runs now (null between tasks, or while a timer callback runs without one: see
     *  {@link #current()}). */
    LuaTask current;
    /** The due timer whose callback runs now without a task object, or null. */
    private Timers.Ticket lazy;

    RunQueue(Scheduler s) {
        this.s = s;
        this.baton = s.baton;
        this.pool = s.pool;
        this.globals = s.globals;
        this.mainThread = s.mainThread;
        this.loopJobs = s.host.executor();
    }

    /** Queues a task's start or resumption, or a timer callback's start. */
    void add(Object entry) {
        queue.add(entry);
        if (!drainScheduled && !draining) {
            drainScheduled = true;
            loopJobs.execute(drainTask);
        }
    }

    /** True when no task start or resumption is waiting. */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Takes a task that has not started out of the queue. */
    void remove(LuaTask t) {
        if (!queue.remove(t)) waiting.remove(t);
    }

    /** The queued tasks that have not started yet (a copy; the timer callbacks among them get their tasks now). */
    List<LuaTask> unstarted() {
        List<LuaTask> out = new ArrayList<>(waiting);
        int n = queue.size();
        for (int i = 0; i < n; i++) {
            LuaTask t = s.tasks.taskOf(queue.poll());
            queue.add(t);
            if (t.status == LuaTask.Status.NEW) out.add(t);
        }
        return out;
    }

    /** True if {@code entry} starts a task (a new task or a timer's callback), false if it resumes one. */
    private static boolean isStart(Object entry) {
        return !(entry instanceof LuaTask) || ((LuaTask) entry).status == LuaTask.Status.NEW;
    }

    void clear() {
        queue.clear();
        waiting.clear();
    }

    /** A fiber went back to the pool: the oldest start waiting for one goes first. */
    void fiberFreed() {
        LuaTask t = waiting.poll();
        if (t == null) return;
        queue.addFirst(t);
        if (!drainScheduled && !draining) {
            drainScheduled = true;
            loopJobs.execute(drainTask);
        }
    }

    /** Runs queued task starts and resumptions until the queue is empty. Loop thread, holding the baton. */
    void drain() {
        Thread loop = baton.loopThread;
        if (Thread.currentThread() != loop || baton.owner != loop) {
            loopJobs.execute(drainTask);
            return;
        }
        if (draining) return;
        if (s.closed) {
            queue.clear();
            return;
        }
        draining = true;
        try {
            Object head;
            while ((head = queue.peek()) != null) {
                if (isStart(head)) {
                    Fiber f;
                    try {
                        f = pool.tryAcquire();
                    } catch (LuaError e) {
                        queue.poll(); // no thread could be made for it: the task fails, the loop goes on
                        LuaTask t = s.tasks.taskOf(head);
                        if (t.guard != null) t.guard.consume(); // its timer lets the engine go
                        s.tasks.finish(t, LuaTask.Status.FAILED, null, e);
                        continue;
                    }
                    if (f == null) { // every fiber busy: it starts when one is free (never dropped)
                        waiting.add(s.tasks.taskOf(queue.poll()));
                        continue;
                    }
                    f.resumer = loop;
                    f.job = Fiber.DRAIN;
                    baton.handTo(f.thread);
                } else {
                    queue.poll();
                    resumeSuspended((LuaTask) head);
                }
            }
        } catch (Error e) {
            s.fatal(e); // a Java error in the loop itself: the engine closes
        } finally {
            draining = false;
            drainScheduled = false;
            globals.running = mainThread;
            current = null;
        }
    }

    private void resumeSuspended(LuaTask t) {
        if (t.status != LuaTask.Status.SUSPENDED || t.resumeValue == null || t.fiber == null) return;
        Fiber f = t.fiber;
        t.fiber = null;
        current = t;
        globals.running = t.runningAtSuspend;
        prewakeNext();
        baton.handTo(f.thread); // a root fiber hands back when its drain job ends; a coroutine fiber when it suspends
        current = null;
        globals.running = mainThread;
    }

    /**
     * Unparks the fiber of the task queued after the one about to run, so that the OS wake-up (slow for a parked
     * platform thread) overlaps with the current task instead of following it.
     */
    private void prewakeNext() {
        if (baton.virtual) return; // waking a virtual thread is cheap: nothing to overlap
        Iterator<Object> it = queue.iterator();
        if (!it.hasNext()) return;
        Object o = it.next();
        if (!(o instanceof LuaTask)) return;
        LuaTask next = (LuaTask) o;
        if (next.status == LuaTask.Status.SUSPENDED && next.fiber != null && next.resumeValue != null)
            LockSupport.unpark(next.fiber.thread);
    }

    /**
     * Who runs Lua next when a fiber stops (its task suspended or its drain job ended): the fiber of the next queued
     * resumption or start, or the loop thread when the queue is empty. Sets up {@link #current} and
     * {@code globals.running} for it.
     */
    Thread nextOwner() {
        Object head;
        while (!s.closed && (head = queue.peek()) != null) {
            if (isStart(head)) {
                Fiber f;
                try {
                    f = pool.tryAcquire();
                } catch (LuaError e) {
                    break; // the loop's drain reports it
                }
                if (f == null) { // every fiber busy: it waits for one
                    waiting.add(s.tasks.taskOf(queue.poll()));
                    continue;
                }
                f.resumer = baton.loopThread;
                f.job = Fiber.DRAIN;
                current = null;
                globals.running = mainThread;
                return f.thread;
            }
            queue.poll();
            LuaTask t = (LuaTask) head;
            if (t.status == LuaTask.Status.SUSPENDED && t.resumeValue != null && t.fiber != null) {
                Fiber f = t.fiber;
                t.fiber = null;
                current = t;
                globals.running = t.runningAtSuspend;
                prewakeNext();
                return f.thread;
            }
        }
        current = null;
        globals.running = mainThread;
        return baton.loopThread;
    }

    /** Body of the drain job: run queued task starts on this fiber until the head is not a start. */
    void runStarts(Fiber self) {
        Object head;
        boolean chained = false; // the second start on: its turn begins where the previous one ended
        while ((head = queue.peek()) != null && isStart(head) && !s.closed) {
            queue.poll();
            runTask(head, self, chained);
            chained = true;
        }
    }

    /** Runs a task's function on {@code self} (a fiber, or a Java caller lending itself) until it ends. */
    void runTask(LuaTask t, Fiber self) {
        runTask(t, self, false);
    }

    /**
     * Runs a queue entry's function on {@code self} until it ends: a task, or a due Lua timer's ticket. A timer's
     * callback runs without a task object until it needs one ({@link #current()}: it suspends, spawns, defers,
     * asks for its task, fails): most callbacks never do, and then no task is made at all.
     */
    private void runTask(Object entry, Fiber self, boolean chained) {
        Tasks tasks = s.tasks;
        LuaTask t;
        LuaValue fn;
        Varargs args;
        if (entry instanceof LuaTask) {
            t = (LuaTask) entry;
            if (t.guard != null && !tracksItself(t.guard, t)) {
                tasks.skip(t);
                if (meter != null) meter.finished();
                return;
            }
            t.status = LuaTask.Status.RUNNING;
            fn = t.fn;
            args = t.args;
        } else {
            Timers.Ticket ticket = (Timers.Ticket) entry;
            if (!tracksItself(ticket, null)) {
                tasks.uncount();
                if (meter != null) meter.finished();
                return;
            }
            t = null;
            lazy = ticket;
            fn = (LuaValue) ticket.payload();
            args = LuaValue.NONE;
        }
        if (self.luaThread == null) {
            self.luaThread = new LuaThread(s.globals, fn);
            self.luaThread.state.status = LuaThread.STATUS_RUNNING;
        }
        current = t;
        globals.running = self.luaThread;
        eplua.core.internal.metrics.Meter m = meter;
        if (m != null) {
            if (self.lent) m.spawned(); // a Java caller's own task (the others count at spawn)
            m.started(fn, chained);
        }
        s.guard.newSlice(t);
        LuaTask.Status end;
        Varargs result = null;
        LuaError error = null;
        try {
            try {
                result = fn.invoke(args);
                end = LuaTask.Status.DONE;
            } catch (Unwind u) {
                if (u.kill) throw u;
                self.luaThread.callstack = null;
                end = u.failure != null ? LuaTask.Status.FAILED : LuaTask.Status.CANCELLED;
                error = u.failure;
            } catch (RuntimeException | Error e) {
                // a Lua error, or a Java one (out of memory, stack overflow, ...): the stack has unwound and freed
                // what it held, so the task fails and the engine goes on
                self.luaThread.callstack = null; // start the next task with a clean Lua call stack
                end = LuaTask.Status.FAILED;
                error = Failures.luaError(e);
            }
            if (t == null) {
                if (current == null && end == LuaTask.Status.DONE) { // a timer callback that never needed its task
                    tasks.finishUnseen();
                    return;
                }
                t = current(); // made while it ran, or now (to report its failure as any task's)
            }
            // defer(fn) clean-ups run on the task's own fiber, still as the task (they may await)
            if (t.defers != null) {
                if (tasks.runDefers(t) && end == LuaTask.Status.DONE) {
                    end = LuaTask.Status.CANCELLED;
                    result = null;
                }
                self.luaThread.callstack = null; // a clean-up may have failed half-way
            }
            tasks.finish(t, end, result, error);
        } catch (Unwind u) {
            // engine closing: close() settles suspended tasks; a running one (interrupted) is settled here
            if (!s.closed) tasks.finishClosed(t != null ? t : current());
            throw u;
        } finally {
            if (m != null) m.paused();
            lazy = null;
            if (!s.closed) {
                current = null;
                globals.running = mainThread;
            }
            if (t != null) t.args = null;
        }
    }

    /**
     * A timer callback is tracked by its timer until it starts, from then on as a task: the timer hands its alive
     * count over, so the engine never looks idle in between. False if the timer was cleared first (it does not run).
     */
    private boolean tracksItself(Timers.Ticket ticket, LuaTask t) {
        int r = ticket.consumeKeepingAlive();
        if (r < 0) return false;
        if (t != null) {
            if (r == 1) t.counted = true;
            else s.tasks.retain(t);
        } else if (r == 0) {
            s.registry.retain(+1); // the callback's own count, released by Tasks.finishUnseen or its task's finish
        }
        return true;
    }

    /**
     * The task whose code runs now, or null between tasks. For a timer callback running without a task object, its
     * task is made now (running, holding the callback's alive and unfinished counts).
     */
    LuaTask current() {
        LuaTask t = current;
        if (t == null && lazy != null) {
            t = current = s.tasks.adopt(lazy);
            lazy = null;
        }
        return t;
    }
}
