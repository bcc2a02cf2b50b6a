package eplua.core.internal.contain;

import eplua.core.Profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * An engine's profile and what it allows: the network allow-lists, the environment its scripts see, the folders a
 * sandboxed {@code require} reads. A trusted engine may become a sandboxed one before it runs a script (a javax.script
 * engine reads its profile attribute at the first {@code eval}); never the other way. Any thread.
 */
public final class Policy {
    private final ContainConfig config;
    private final int taskCap;
    private volatile Profile profile;
    private volatile Budgets budgets;
    private final NetAllowList net;
    private final Map<String, String> env;
    private final List<Path> requireRoots;

    /** {@code taskCap}: the most tasks the engine's fibers can carry (the default task budget of a trusted engine). */
    public Policy(ContainConfig c, int taskCap) {
        this.config = c;
        this.taskCap = taskCap;
        this.profile = c.profile() != null ? c.profile() : Profile.forNewEngines();
        this.budgets = Budgets.resolve(c, Budgets.defaults(profile, taskCap));
        this.net = new NetAllowList(c.connect() != null ? c.connect() : listProperty("eplua.allowConnect"),
                c.listen() != null ? c.listen() : ports(listProperty("eplua.allowListen")));
        this.env = c.env() == null ? null : Map.copyOf(c.env());
        List<Path> roots = new ArrayList<>();
        if (c.requireRoots() != null) roots.addAll(c.requireRoots());
        else for (String r : listProperty("eplua.requireRoots")) roots.add(Path.of(r));
        this.requireRoots = List.copyOf(roots);
    }

    public Profile profile() {
        return profile;
    }

    public boolean sandboxed() {
        return profile == Profile.SANDBOX;
    }

    /** The budgets: the builder's, else the system properties', else the profile's defaults. */
    public Budgets budgets() {
        return budgets;
    }

    /** Trusted to sandbox (one way): the budgets not given explicitly become the sandbox's. */
    public void restrict() {
        profile = Profile.SANDBOX;
        budgets = Budgets.resolve(config, Budgets.defaults(Profile.SANDBOX, taskCap));
    }

    /** The environment the host passed (null: none given). */
    public Map<String, String> env() {
        return env;
    }

    public List<Path> requireRoots() {
        return requireRoots;
    }

    /** See {@link eplua.core.spi.ModuleContext#checkConnect}. */
    public void checkConnect(String host, int port) {
        if (profile == Profile.SANDBOX) net.checkConnect(host, port);
    }

    /** See {@link eplua.core.spi.ModuleContext#checkListen}. */
    public void checkListen(String host, int port) {
        if (profile == Profile.SANDBOX) net.checkListen(host, port);
    }

    /** A comma-separated system property as a list (empty when unset). */
    static List<String> listProperty(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(v.split(","))) if (!s.isBlank()) out.add(s.strip());
        return out;
    }

    private static List<Integer> ports(List<String> words) {
        List<Integer> out = new ArrayList<>();
        for (String w : words) {
            try {
                out.add(Integer.parseInt(w));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("eplua.allowListen: not a port: " + w);
            }
        }
        return out;
    }
}
