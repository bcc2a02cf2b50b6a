package eplua.net.common;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.InetNameResolver;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * Host name lookups that never block the event loop. Netty's default resolver calls {@link InetAddress} on the loop;
 * here an address literal is parsed at once, a name under RFC 6761's reserved {@code .invalid} fails at once, and
 * any other name is looked up by the JDK (hosts file, the system's resolver, the JDK's cache: what every Java program
 * on the machine sees) on a small pool of daemon threads, the result coming back on the loop. Netty's own DNS client
 * ({@code netty-resolver-dns}) was not taken: it asks the nameservers of /etc/resolv.conf itself, so it sees neither
 * the system's other sources nor its failure speed (offline, each name waits for its query timeout).
 */
public final class Lookups {
    private Lookups() {}

    /** At most this many lookups run at once; more wait their turn. */
    private static final int THREADS = 4;

    private static final ThreadPoolExecutor POOL;

    static {
        AtomicInteger n = new AtomicInteger();
        POOL = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "eplua-lookup-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        POOL.allowCoreThreadTimeOut(true);
    }

    /** The system lookup; tests put a slow one in to see that the loop runs meanwhile. */
    interface Lookup {
        InetAddress[] all(String host) throws UnknownHostException;
    }

    static volatile Lookup lookup = InetAddress::getAllByName;

    /** The resolver group for every client {@link io.netty.bootstrap.Bootstrap}: {@code bootstrap.resolver(GROUP)}. */
    public static final AddressResolverGroup<InetSocketAddress> GROUP = new AddressResolverGroup<>() {
        @Override
        protected AddressResolver<InetSocketAddress> newResolver(EventExecutor loop) {
            return new OffLoop(loop).asAddressResolver();
        }
    };

    /** Looks {@code host} up (first address); listeners run on {@code loop}. Done at once for literals and .invalid. */
    public static Future<InetAddress> resolve(EventExecutor loop, String host) {
        Promise<InetAddress> p = loop.newPromise();
        start(host, p, false);
        return p;
    }

    /**
     * Looks {@code host} up and calls {@code then(address, null)} or {@code then(null, failure)}: at once (in the
     * caller's turn) when the answer is known at once, else on {@code loop}.
     */
    public static void resolve(EventExecutor loop, String host, BiConsumer<InetAddress, Throwable> then) {
        Future<InetAddress> f = resolve(loop, host);
        if (f.isDone()) done(f, then);
        else f.addListener(x -> done(f, then));
    }

    private static void done(Future<InetAddress> f, BiConsumer<InetAddress, Throwable> then) {
        if (f.isSuccess()) then.accept(f.getNow(), null);
        else then.accept(null, f.cause());
    }

    @SuppressWarnings("unchecked")
    private static void start(String host, Promise<?> p, boolean all) {
        InetAddress literal = NetUtil.createInetAddressFromIpAddressString(host);
        if (literal != null) {
            ((Promise<Object>) p).setSuccess(all ? List.of(literal) : literal);
            return;
        }
        if (reserved(host)) {
            p.setFailure(new UnknownHostException(host + " (a .invalid name never resolves)"));
            return;
        }
        POOL.execute(() -> {
            try {
                InetAddress[] a = lookup.all(host);
                ((Promise<Object>) p).trySuccess(all ? Arrays.asList(a) : a[0]);
            } catch (Throwable e) {
                p.tryFailure(e);
            }
        });
    }

    /** RFC 6761 6.4: resolvers should answer names under "invalid." with an immediate negative response. */
    static boolean reserved(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h.equals("invalid") || h.endsWith(".invalid");
    }

    /** Netty's name resolver face over {@link #start}. */
    private static final class OffLoop extends InetNameResolver {
        OffLoop(EventExecutor loop) {
            super(loop);
        }

        @Override
        protected void doResolve(String host, Promise<InetAddress> promise) {
            start(host, promise, false);
        }

        @Override
        protected void doResolveAll(String host, Promise<List<InetAddress>> promise) {
            start(host, promise, true);
        }
    }
}
