package eplua.core.internal.task;

import eplua.core.internal.loop.Timers;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The suspension points scripts and modules use: sleep, yield a turn, await a future, await another task. Each arms
 * what wakes the task (a timer, a future listener) and frees it when the task wakes some other way. Called by the
 * running task, on its fiber.
 */
final class Awaits {
    private static final Varargs TIMED_OUT = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("timeout"));

    private final Scheduler s;
    private final Tasks tasks;
    private final Timers timers;

    Awaits(Scheduler s) {
        this.s = s;
        this.tasks = s.tasks;
        this.timers = s.timers;
    }

    /** Sleeps the running task; never blocks the loop. {@code sleep(0)} (or less) is {@link #yieldTurn}. */
    Varargs sleep(double seconds) {
        if (!(seconds > 0)) return yieldTurn();
        return tasks.suspend(new Sleep(seconds * 1000d));
    }

    /** One object per sleep for arming, firing and cleaning up (sleeps are the most common suspension). */
    private final class Sleep implements Tasks.Arm, Consumer<Timers.Ticket>, Runnable {
        private final double ms;
        private LuaTask task;
        private int token;
        private long timer;

        Sleep(double ms) {
            this.ms = ms;
        }

        @Override
        public void arm(LuaTask t, int token) {
            this.task = t;
            this.token = token;
            timer = timers.add(ms, 0, true, this);
            t.onWake = this;
        }

        @Override
        public void accept(Timers.Ticket ticket) { // due
            if (ticket.consume()) tasks.wake(task, token, LuaValue.NONE);
        }

        @Override
        public void run() { // woken some other way (cancel): the timer goes
            timers.cancel(timer);
        }
    }

    /**
     * Gives everything else a turn: the task goes behind all that was ready when it yielded (I/O, due timers, other
     * tasks). Yielded tasks wait in a list the loop takes in once per turn, after its next poll for I/O (a loop job
     * would not do: Netty runs jobs queued by jobs for up to a second before it looks at I/O again). One shortcut:
     * when no other task is ready and the loop polled less than {@link #FRESH_POLL_NANOS} ago, the task goes on at
     * once (a lone task spinning on yield() then costs ~1 us a yield instead of a loop turn, and I/O and timers wait at
     * most that long).
     */
    Varargs yieldTurn() {
        return tasks.suspend(yielder);
    }

    /** How recent the loop's last poll for I/O must be for a lone yielding task to go on at once. */
    private static final long FRESH_POLL_NANOS = 100_000;

    private final Yielder yielder = new Yielder();

    /** The tasks that yielded since the loop's last turn, and the job that wakes them all on its next turn. */
    private final class Yielder implements Tasks.Arm, Runnable {
        private LuaTask[] waiting = new LuaTask[8];
        private int[] tokens = new int[8];
        private int count;
        private boolean armed;
        private long lastTurn = System.nanoTime() - FRESH_POLL_NANOS; // when the loop last took yielded tasks in

        @Override
        public void arm(LuaTask t, int token) {
            if (count == 0 && s.queue.isEmpty() && System.nanoTime() - lastTurn < FRESH_POLL_NANOS) {
                tasks.wake(t, token, LuaValue.NONE); // nothing else is ready: go on without a switch
                return;
            }
            if (count == waiting.length) {
                waiting = java.util.Arrays.copyOf(waiting, count * 2);
                tokens = java.util.Arrays.copyOf(tokens, count * 2);
            }
            waiting[count] = t;
            tokens[count++] = token;
            if (!armed) {
                armed = true;
                s.host.nextTurn(this);
            }
        }

        @Override
        public void run() { // the loop's next turn, holding the baton
            armed = false;
            lastTurn = System.nanoTime();
            int n = count;
            count = 0;
            if (s.closed) return;
            LuaTask[] w = waiting;
            for (int i = 0; i < n; i++) {
                LuaTask t = w[i];
                w[i] = null;
                tasks.wake(t, tokens[i], LuaValue.NONE); // stale tokens (cancelled meanwhile) are ignored
            }
        }
    }

    /**
     * Awaits a future: resumes with {@code translate(value, error)}. With {@code timeoutMs > 0}, a timeout resumes
     * with {@code timeoutValue}.
     */
    <T> Varargs await(CompletableFuture<T> future, double timeoutMs, Varargs timeoutValue,
                      BiFunction<T, Throwable, Object> translate) {
        if (future.isDone()) {
            // already settled: no switch at all
            T v = null;
            Throwable err = null;
            try {
                v = future.getNow(null);
            } catch (Throwable e) {
                err = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            }
            Object r = translate.apply(v, err);
            if (r instanceof LuaError) throw (LuaError) r;
            return (Varargs) r;
        }
        return tasks.suspend((t, token) -> {
            long timer = timeoutMs > 0 ? timers.add(timeoutMs, 0, true, ticket -> {
                if (ticket.consume()) tasks.wake(t, token, timeoutValue);
            }) : 0;
            t.onWake = timer != 0 ? () -> timers.cancel(timer) : null;
            t.onCancel = () -> future.cancel(false); // a cancelled task abandons what it awaited
            future.whenComplete((v, e) -> {
                Throwable err = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                Object r;
                try {
                    r = translate.apply(v, err);
                } catch (Throwable x) {
                    r = LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(String.valueOf(x)));
                }
                // completed by Lua's own thread (a Netty handler on the loop, say): queue it now, no extra hop
                if (s.baton.holds() && !s.closed) tasks.wake(t, token, r);
                else tasks.wakeLater(t, token, r);
            });
        });
    }

    /** Awaits another task: its results, or its error raised here; nil, "timeout" on timeout. */
    Varargs awaitTask(LuaTask other, double timeoutMs) {
        other.observed = true;
        if (!other.isFinished()) {
            LuaTask me = tasks.require("await");
            if (other == me) throw new LuaError("a task cannot await itself");
            Varargs r = tasks.suspend((t, token) -> {
                other.addAwaiter(t);
                long timer = timeoutMs > 0 ? timers.add(timeoutMs, 0, true, ticket -> {
                    if (ticket.consume()) tasks.wake(t, token, TIMED_OUT);
                }) : 0;
                t.onWake = () -> {
                    if (timer != 0) timers.cancel(timer);
                    if (other.awaiters != null) other.awaiters.remove(t);
                };
            });
            if (r == TIMED_OUT) return r;
        }
        switch (other.status) {
            case DONE: return other.result;
            case FAILED: throw other.error;
            case CANCELLED: throw new LuaError("cancelled");
            default: throw new LuaError("task not finished");
        }
    }
}
