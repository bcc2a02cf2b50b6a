package eplua.core.internal.task;

import eplua.core.internal.loop.LoopGate;

import java.util.concurrent.locks.LockSupport;

/**
 * The baton: which thread may run the engine's Lua now. Every other thread of the engine is parked. Handing it over
 * is a volatile write plus an unpark, so all Lua runs one step at a time, in loop order, with a happens-before edge
 * at every switch. The loop thread holds it whenever no fiber runs; it runs one engine's fiber at a time, so the
 * engines of one loop take turns. While the loop blocks for I/O, a host thread may borrow the loop's turn
 * ({@link LoopGate}) for this engine and take its baton with it: it runs Lua at once (the javax.script fast path: no
 * hop to the loop, no wake-up) and gives both back when done.
 */
final class Baton {
    /** How long a host thread spins for a turn another host thread borrowed before it queues at the loop instead. */
    private static final int ENTER_SPINS = Integer.getInteger("eplua.enterSpins", 4096);
    private static final int SPINS = Integer.getInteger("eplua.spins", 200);
    /**
     * The loop thread waits for short Lua callbacks: spinning longer there saves an OS wake-up per callback. (With
     * fibers carried by the loop thread it only ever waits for a thread of another kind, a Java caller running its
     * task itself (invoke) or a fiber blocked inside Java code; spinning still pays off for the first.)
     */
    private static final int LOOP_SPINS = Integer.getInteger("eplua.loopSpins", 2000);
    private static final int VIRTUAL_SPINS = Integer.getInteger("eplua.virtualSpins", 0);

    final Thread loopThread;
    private final String engineName;
    /** Fibers are virtual threads (carried or not): they start when first handed the baton, and never spin. */
    final boolean virtual;
    /** Mounts virtual fibers on the loop thread (null: fibers are platform threads or on the JVM's scheduler). */
    final LoopCarrier carrier;
    /** The loop's turn, lent to host threads while it blocks for I/O (null: never lent). */
    private final LoopGate gate;
    volatile Thread owner;
    /** The engine is closing: no more host threads in. */
    volatile boolean closed;

    Baton(Thread loopThread, String engineName, boolean virtual, LoopCarrier carrier, LoopGate gate) {
        this.loopThread = loopThread;
        this.engineName = engineName;
        this.virtual = virtual;
        this.carrier = carrier;
        this.gate = gate;
        this.owner = loopThread;
    }

    /** True if the calling thread may run Lua now (the loop thread between fibers, or the running fiber). */
    boolean holds() {
        return owner == Thread.currentThread();
    }

    void check() {
        if (owner != Thread.currentThread())
            throw new IllegalStateException("Lua touched from thread " + Thread.currentThread().getName()
                    + " which is not running the engine's Lua (engine " + engineName + ")");
    }

    /** Gives the baton to {@code target} and parks until it comes back. */
    void handTo(Thread target) {
        Thread me = Thread.currentThread();
        pass(target);
        Fiber f = me == loopThread ? null : Fiber.current();
        await(me, f);
        if (f != null && f.killed) throw new Unwind(true);
    }

    /** Gives the baton to {@code target} without waiting for it back. */
    void pass(Thread target) {
        if (target == loopThread && gate != null && gate.lentTo(this)) {
            // a host thread borrowed the loop's turn for us: give both back (the loop may still block for I/O)
            owner = loopThread;
            gate.giveBack(this);
            return;
        }
        owner = target;
        // a new virtual fiber starts right here, already owning the baton: no park/unpark pair for it
        if (virtual && target != loopThread && target.getState() == Thread.State.NEW) target.start();
        else LockSupport.unpark(target);
    }

    /**
     * Parks the calling thread ({@code f}: its fiber, null for the loop thread) until it holds the baton. False if
     * {@code f}, idle, was given to another engine meanwhile (it waits for that one's baton then).
     */
    boolean await(Thread me, Fiber f) {
        while (owner != me) {
            if (f == null && carrier != null) {
                carrier.runForeign(); // the loop carries fibers: one woken by another thread runs here
                if (owner == me) break;
            }
            if (f != null) {
                if (f.killed) throw new Unwind(true); // engine closed: unwind and exit, baton untouched
                if (f.scheduler.baton != this) return false;
            }
            // spin a little after every wake-up: a pre-woken fiber (see RunQueue.prewakeNext) is then ready when the
            // baton comes (a virtual fiber parks at once instead: that frees its carrier for the fiber it handed to)
            int spins = f == null ? LOOP_SPINS : virtual ? VIRTUAL_SPINS : SPINS;
            for (int i = 0; i < spins && owner != me; i++) Thread.onSpinWait();
            if (owner != me) LockSupport.park(this);
        }
        if (f != null && f.carried) carrier.mounted(me);
        return true;
    }

    /**
     * Takes the baton for the calling host thread if the engine's loop is idle (blocked for I/O, no Lua running),
     * spinning briefly while another host thread borrowed it; never waits for the loop. True: the caller holds it and
     * gives it back with {@link #pass}. {@code nested}: the caller runs Lua of another engine of this loop, so the loop
     * waits for it: it takes the baton if the engine is at home (the loop's turn is the caller's already).
     */
    boolean tryEnter(boolean nested) {
        Thread me = Thread.currentThread();
        if (nested) {
            if (closed || owner != loopThread) return false;
            owner = me;
            return true;
        }
        if (gate == null) return false;
        for (int i = 0; i < ENTER_SPINS; i++) {
            if (closed) return false;
            if (gate.tryLend(this)) {
                if (owner == loopThread) {
                    owner = me;
                    return true;
                }
                gate.giveBack(this); // not at home (cannot be while the loop blocks; a closed engine's state)
                return false;
            }
            if (!gate.mayLendSoon()) return false; // the loop is busy: queue there instead
            if ((i & 63) == 63) Thread.yield(); // another host thread borrowed it, for a few hundred ns
            else Thread.onSpinWait();
        }
        return false;
    }
}
