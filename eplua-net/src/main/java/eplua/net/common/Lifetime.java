package eplua.net.common;

import eplua.core.spi.ModuleContext;
import eplua.core.spi.Resource;

/**
 * The engine's book entry of one socket, server or client, and what the script asked of it before or after it was
 * tracked: {@link #keepAlive unref'd} or {@link #detach detached} early (before the connection exists, say) applies
 * once it is tracked. Lua thread.
 */
public final class Lifetime {
    private Resource resource;
    private boolean background;
    private boolean detached;

    /** Tracks a resource the script opened (owned by the running task, if any) with what was asked so far. */
    public Resource track(ModuleContext ctx, String kind, AutoCloseable closer) {
        resource = ctx.track(kind, background, closer);
        if (detached) resource.detach();
        return resource;
    }

    /** The tracked resource, or null before {@link #track}. */
    public Resource resource() {
        return resource;
    }

    /** True unless unref'd (tracked or not). */
    public boolean keepsAlive() {
        return !background;
    }

    /** See {@link NetHandle#keepAlive}. */
    public void keepAlive(boolean on) {
        background = !on;
        if (resource != null) resource.keepAlive(on);
    }

    /** See {@link NetHandle#detach}. */
    public void detach() {
        detached = true;
        if (resource != null) resource.detach();
    }
}
