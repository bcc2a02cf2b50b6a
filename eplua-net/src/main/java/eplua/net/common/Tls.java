package eplua.net.common;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TLS for eplua's network modules. Clients verify the peer's certificate chain against the JVM's trust store (or a
 * given PEM CA file) and its host name (endpoint identification "HTTPS") unless verification is explicitly turned
 * off; servers load a PEM certificate chain and a PKCS#8 PEM key. Contexts are immutable and cached. A context that
 * cannot be built throws a "tls" {@link NetError}: callers build
 * them before connecting or binding, so a bad file reaches the script as {@code "tls: ..."} (never from inside a
 * channel initializer, where Netty would only log it); handshake failures are mapped by {@link NetError}.
 */
public final class Tls {
    private Tls() {}

    private static final Map<String, SslContext> CLIENTS = new ConcurrentHashMap<>();

    /** A client context: {@code verify=false} trusts any certificate (checkCertificate=false). */
    public static SslContext client(boolean verify) {
        return client(verify, null);
    }

    /**
     * A client context trusting the JVM's default store, or only the certificates in {@code caFile} (PEM) when given;
     * a "tls" {@link NetError} when the file cannot be loaded.
     */
    public static SslContext client(boolean verify, String caFile) {
        String key = verify + "|" + (caFile == null ? "" : caFile);
        return CLIENTS.computeIfAbsent(key, k -> {
            try {
                SslContextBuilder b = SslContextBuilder.forClient();
                if (!verify) b.trustManager(InsecureTrustManagerFactory.INSTANCE);
                else if (caFile != null) b.trustManager(new File(caFile));
                return b.build();
            } catch (SSLException | RuntimeException e) {
                throw NetError.of(NetError.TLS, caFile != null ? "cannot load CA file " + caFile + ": " + rootMessage(e)
                        : "cannot build client context: " + rootMessage(e));
            }
        });
    }

    /**
     * A client handler for {@code host:port} (sent as SNI). With {@code verify}, the host name is checked against the
     * certificate during the handshake, so a valid certificate for another name fails.
     */
    public static SslHandler clientHandler(SslContext ctx, ByteBufAllocator alloc, String host, int port, boolean verify) {
        SslHandler h = ctx.newHandler(alloc, host, port);
        if (verify) {
            SSLEngine engine = h.engine();
            SSLParameters p = engine.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(p);
        }
        return h;
    }

    /**
     * A server context from a PEM certificate chain and a PEM (PKCS#8, unencrypted) private key; null without a
     * certificate (plain TCP). Throws a "tls" {@link NetError} when they cannot be loaded.
     */
    public static SslContext server(String certFile, String keyFile) {
        if (certFile == null) return null;
        try {
            return SslContextBuilder.forServer(new File(certFile), new File(keyFile)).build();
        } catch (SSLException | RuntimeException e) {
            throw NetError.of(NetError.TLS, "cannot load " + certFile + " / " + keyFile + ": " + rootMessage(e));
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m != null ? m : t.getClass().getSimpleName();
    }
}
