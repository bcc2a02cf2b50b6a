package eplua.core.internal.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * One loop's turn at running Lua, whichever of its engines: the loop thread holds it, except while it blocks for I/O.
 * Then a host thread may borrow it for one engine with a compare-and-set and run that engine's Lua at once (the
 * javax.script fast path: no hop to the loop, no wake-up); the loop takes it back when it wakes, before it runs any
 * handler or task, waiting for a borrower to give it back. So the engines of one loop never run Lua at the same
 * moment.
 */
public final class LoopGate {
    /** {@link #holder} while the loop thread holds the turn. */
    private static final Object LOOP = new Object();
    private static final VarHandle HOLDER;
    static {
        try {
            HOLDER = MethodHandles.lookup().findVarHandle(LoopGate.class, "holder", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private static final int LOOP_SPINS = Integer.getInteger("eplua.loopSpins", 2000);

    private final Thread loopThread;
    /** LOOP; null while the loop blocks and nobody borrowed the turn; else the borrower's key (an engine's baton). */
    private volatile Object holder = LOOP;
    /** The loop gave the turn up for its blocking wait (loop thread only writes it). */
    private volatile boolean selecting;
    /** The loop is back from its wait and waits for a borrower: borrowers let it have the turn first. */
    private volatile boolean loopWaiting;
    /** What the loop does while it waits for a borrower (run fibers the borrower woke). */
    private volatile Runnable whileWaiting = () -> {};

    LoopGate(Thread loopThread) {
        this.loopThread = loopThread;
    }

    /** What the loop thread runs while it waits for a borrower to give the turn back. */
    public void whileWaiting(Runnable r) {
        whileWaiting = r;
    }

    /** Loop thread, about to block in its selector. */
    void beforeBlock() {
        if (holder != LOOP) return;
        selecting = true;
        holder = null;
    }

    /** Loop thread, back from its selector: returns once it holds the turn again. */
    void afterBlock() {
        if (!selecting) return;
        selecting = false;
        if (HOLDER.compareAndSet(this, null, LOOP)) return;
        loopWaiting = true; // a host thread runs Lua: it gives the turn back when done (giveBack)
        try {
            while (!HOLDER.compareAndSet(this, null, LOOP)) {
                whileWaiting.run();
                for (int i = 0; i < LOOP_SPINS && holder != null; i++) Thread.onSpinWait();
                if (holder != null) LockSupport.park(this);
            }
        } finally {
            loopWaiting = false;
        }
    }

    /**
     * Borrows the turn for {@code key} if the loop blocks for I/O and nobody else has it. True: the caller has it
     * until {@link #giveBack}. Any thread.
     */
    public boolean tryLend(Object key) {
        return holder == null && !loopWaiting && HOLDER.compareAndSet(this, null, key);
    }

    /** True if the turn is free, or with another borrower (worth spinning for), and the loop does not want it. */
    public boolean mayLendSoon() {
        Object h = holder;
        return h != LOOP && !loopWaiting;
    }

    /** True if the turn is lent to {@code key}. */
    public boolean lentTo(Object key) {
        return holder == key;
    }

    /** The borrower {@code key} gives the turn back. */
    public void giveBack(Object key) {
        if (holder != key) return;
        holder = null;
        if (loopWaiting) LockSupport.unpark(loopThread);
    }
}
