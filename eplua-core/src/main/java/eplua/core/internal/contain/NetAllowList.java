package eplua.core.internal.contain;

import org.luaj.vm2.LuaError;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a sandboxed engine's scripts may connect and listen. A client pattern is {@code host:port}: the host an exact
 * name or address (case-insensitive; an IPv6 address in brackets), {@code *.example.com} for every name under a
 * domain, or {@code *}; the port a number, a range {@code 8000-8099}, or {@code *}. The host checked is the one the
 * script named, before any resolution. Servers may listen on the allowed ports only ({@code 0}: any free port).
 */
public final class NetAllowList {
    private final List<Pattern> connect;
    private final Set<Integer> listen;

    /** Throws IllegalArgumentException for a pattern or port that makes no sense. */
    public NetAllowList(List<String> connectPatterns, List<Integer> listenPorts) {
        List<Pattern> c = new ArrayList<>();
        for (String p : connectPatterns) c.add(Pattern.parse(p));
        this.connect = List.copyOf(c);
        Set<Integer> l = new TreeSet<>();
        for (int port : listenPorts) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            l.add(port);
        }
        this.listen = Set.copyOf(l);
    }

    public boolean allowsConnect(String host, int port) {
        String h = normalize(host);
        for (Pattern p : connect) if (p.matches(h, port)) return true;
        return false;
    }

    public boolean allowsListen(int port) {
        return listen.contains(port);
    }

    /** Raises {@code "denied: connect to host:port ..."} unless allowed. */
    public void checkConnect(String host, int port) {
        if (!allowsConnect(host, port))
            throw new LuaError("denied: connect to " + show(host) + ":" + port
                    + " (not allowed in the sandbox profile: Engine.Builder.allowConnect)");
    }

    /** Raises {@code "denied: listen on host:port ..."} unless the port is allowed. */
    public void checkListen(String host, int port) {
        if (!allowsListen(port))
            throw new LuaError("denied: listen on " + show(host == null || host.isEmpty() ? "*" : host) + ":" + port
                    + " (not allowed in the sandbox profile: Engine.Builder.allowListen)");
    }

    private static String show(String host) {
        return host != null && host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : String.valueOf(host);
    }

    private static String normalize(String host) {
        if (host == null) return "";
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        return h;
    }

    /** One {@code host:port} pattern. */
    private record Pattern(String host, boolean anyHost, boolean suffix, int lowPort, int highPort) {
        static Pattern parse(String text) {
            String t = text.strip();
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1)
                throw new IllegalArgumentException("expected host:port, got '" + text + "'");
            String host = t.substring(0, colon);
            String port = t.substring(colon + 1);
            if (host.indexOf(':') >= 0 && !host.startsWith("["))
                throw new IllegalArgumentException("an IPv6 address goes in brackets: '" + text + "'");
            int low;
            int high;
            try {
                if (port.equals("*")) {
                    low = 0;
                    high = 65535;
                } else if (port.indexOf('-') > 0) {
                    low = Integer.parseInt(port.substring(0, port.indexOf('-')));
                    high = Integer.parseInt(port.substring(port.indexOf('-') + 1));
                } else {
                    low = high = Integer.parseInt(port);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in '" + text + "'");
            }
            if (low < 0 || high > 65535 || low > high) throw new IllegalArgumentException("bad port in '" + text + "'");
            String h = normalize(host);
            if (h.equals("*")) return new Pattern("", true, false, low, high);
            if (h.startsWith("*.")) return new Pattern(h.substring(1), false, true, low, high); // ".example.com"
            if (h.indexOf('*') >= 0) throw new IllegalArgumentException("'*' only as a whole host or as '*.': " + text);
            return new Pattern(h, false, false, low, high);
        }

        boolean matches(String h, int port) {
            if (port < lowPort || port > highPort) return false;
            if (anyHost) return true;
            return suffix ? h.endsWith(host) && h.length() > host.length() : h.equals(host);
        }
    }
}
