package eplua.core.internal.task;

import java.util.concurrent.locks.LockSupport;

/**
 * The baton: which thread may run the engine's Lua now. Every other thread of the engine is parked. Handing it over
 * is a volatile write plus an unpark, so all Lua runs one step at a time, in loop order, with a happens-before edge
 * at every switch. The loop thread holds it whenever no fiber runs, except while it blocks for I/O: then the baton
 * is {@link #IDLE} and a host thread may take it with one compare-and-set and run Lua at once (the javax.script fast
 * path: no hop to the loop, no wake-up); the loop takes it back when it wakes, before it runs any handler or task.
 */
final class Baton implements eplua.core.internal.loop.LoopGate {
    /** The owner while the loop blocks for I/O and nobody runs Lua. A thread object that never starts. */
    static final Thread IDLE = new Thread("eplua-idle-baton");
    private static final java.lang.invoke.VarHandle OWNER;
    static {
        try {
            OWNER = java.lang.invoke.MethodHandles.lookup().findVarHandle(Baton.class, "owner", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /** How long a host thread spins for a baton another host thread holds before it queues at the loop instead. */
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
    /** The fiber each engine thread is (null on the loop thread and on foreign threads). */
    final ThreadLocal<Fiber> fiberOfThread;
    volatile Thread owner;
    /** The carried fiber that got the baton last: the one running on the loop thread, if a carried one runs. */
    private Thread runningCarried;
    /** The loop thread gave the baton up while it blocks for I/O ({@link #beforeBlock}). */
    private volatile boolean loopSelecting;
    /** The loop thread is back from its selector and waits for the baton: host threads let it have it first. */
    private volatile boolean loopWaiting;
    /** The engine is closing: no more host threads in. */
    volatile boolean closed;

    Baton(Thread loopThread, String engineName, boolean virtual, LoopCarrier carrier, ThreadLocal<Fiber> fiberOfThread) {
        this.loopThread = loopThread;
        this.engineName = engineName;
        this.virtual = virtual;
        this.carrier = carrier;
        this.fiberOfThread = fiberOfThread;
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

    /** True if {@code t} is the calling thread and one of this engine's fibers mounted on the loop thread. */
    boolean isMountedFiber(Thread t) {
        // (Netty asks this on every step of a write: one field, no thread-local lookup. A stale value names a fiber
        // that is parked, and a parked fiber asks nothing; a miss only makes Netty queue the call as a task.)
        return t == runningCarried && t == Thread.currentThread();
    }

    /** Gives the baton to {@code target} and parks until it comes back. */
    void handTo(Thread target) {
        Thread me = Thread.currentThread();
        pass(target);
        Fiber f = me == loopThread ? null : fiberOfThread.get();
        await(me, f);
        if (f != null && f.killed) throw new Unwind(true);
    }

    /** Gives the baton to {@code target} without waiting for it back. */
    void pass(Thread target) {
        if (target == loopThread && loopSelecting) {
            // the loop blocks for I/O: leave the baton free (for it, or a host thread); wake it if it waits for it
            owner = IDLE;
            if (loopWaiting) LockSupport.unpark(loopThread);
            return;
        }
        owner = target;
        // a new virtual fiber starts right here, already owning the baton: no park/unpark pair for it
        if (virtual && target != loopThread && target.getState() == Thread.State.NEW) target.start();
        else LockSupport.unpark(target);
    }

    /** Parks the calling thread ({@code f}: its fiber, null for the loop thread) until it holds the baton. */
    void await(Thread me, Fiber f) {
        awaitOwner(me, f);
        if (f != null && f.carried) runningCarried = me;
    }

    private void awaitOwner(Thread me, Fiber f) {
        while (owner != me) {
            if (f == null && carrier != null) {
                carrier.runForeign(); // the loop carries fibers: one woken by another thread runs here
                if (owner == me) break;
            }
            if (f != null && f.killed) throw new Unwind(true); // engine closed: unwind and exit, baton untouched
            // spin a little after every wake-up: a pre-woken fiber (see RunQueue.prewakeNext) is then ready when the
            // baton comes (a virtual fiber parks at once instead: that frees its carrier for the fiber it handed to)
            int spins = f == null ? LOOP_SPINS : virtual ? VIRTUAL_SPINS : SPINS;
            for (int i = 0; i < spins && owner != me; i++) Thread.onSpinWait();
            if (owner != me) LockSupport.park(this);
        }
    }

    // ---- the idle baton: host threads run Lua at once while the loop waits for I/O --------------------------------

    @Override
    public void beforeBlock() {
        if (owner != loopThread || closed) return;
        loopSelecting = true;
        owner = IDLE;
    }

    @Override
    public void afterBlock() {
        if (!loopSelecting) return;
        loopSelecting = false;
        Thread me = loopThread;
        if (owner == me || OWNER.compareAndSet(this, IDLE, me)) return;
        loopWaiting = true; // a host thread runs Lua: it gives the baton back when done (pass)
        try {
            while (owner != me && !(owner == IDLE && OWNER.compareAndSet(this, IDLE, me))) {
                if (carrier != null) carrier.runForeign(); // a fiber that host thread woke runs here
                for (int i = 0; i < LOOP_SPINS && owner != me && owner != IDLE; i++) Thread.onSpinWait();
                if (owner != me && owner != IDLE) LockSupport.park(this);
            }
        } finally {
            loopWaiting = false;
        }
    }

    /**
     * Takes the baton for the calling host thread if the engine is idle (its loop blocked for I/O, no Lua running),
     * spinning briefly while another host thread holds it; never waits for the loop. True: the caller holds it and
     * gives it back with {@link #pass}.
     */
    boolean tryEnter() {
        Thread me = Thread.currentThread();
        for (int i = 0; i < ENTER_SPINS; i++) {
            Thread o = owner;
            if (o == IDLE) {
                if (loopWaiting || closed) return false;
                if (OWNER.compareAndSet(this, IDLE, me)) return true;
            } else if (o == loopThread || loopWaiting || closed) {
                return false; // the loop is busy: queue there instead
            }
            if ((i & 63) == 63) Thread.yield(); // another host thread holds it, for a few hundred ns
            else Thread.onSpinWait();
        }
        return false;
    }
}
