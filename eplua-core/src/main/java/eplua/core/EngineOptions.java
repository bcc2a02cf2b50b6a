package eplua.core;

import eplua.core.internal.contain.ContainConfig;
import eplua.core.spi.LuaModule;

import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The settings of an engine, set through {@link Engine#builder()}: identity and modules, console, fiber mode and
 * loop placement, lifecycle, observability, and containment (profile, allow-lists, budgets). Every setter returns
 * the builder, to chain them. (A base of {@link Engine.Builder}, as Netty's bootstraps have one: it keeps the
 * engine's host API short.)
 *
 * @param <B> the builder type the setters return
 */
public abstract class EngineOptions<B extends EngineOptions<B>> {
    String name;
    boolean keepJvmAlive = true;
    boolean debug = true;
    boolean discover = true;
    ClassLoader classLoader = Engine.class.getClassLoader();
    List<LuaModule> modules;
    Writer out;
    Writer err;
    Reader in;
    Consumer<LuaScriptException> errorHandler;
    FiberMode fiberMode;
    LoopGroup loopGroup;
    boolean ownLoop;
    Duration gracePeriod;
    Duration blockedLoopThreshold;
    Profile profile;
    List<String> allowConnect;
    List<Integer> allowListen;
    Map<String, String> environment;
    List<Path> requireRoots;
    Long maxInstructions;
    Duration evalTimeout;
    Long maxStringSize;
    Integer maxTableSize;
    Integer maxTasks;

    ContainConfig contain() {
        return new ContainConfig(profile, environment, requireRoots, allowConnect, allowListen, maxInstructions,
                evalTimeout, maxStringSize, maxTableSize, maxTasks);
    }

    public B name(String name) {
        this.name = name;
        return self();
    }

    /** Whether a non-daemon thread keeps the JVM running while the engine is alive (default true, like Node). */
    public B keepJvmAlive(boolean keep) {
        this.keepJvmAlive = keep;
        return self();
    }

    /** Load Lua's debug library, for tracebacks (default true; false runs plain Lua code faster). */
    public B debug(boolean debug) {
        this.debug = debug;
        return self();
    }

    /** Find modules with ServiceLoader (default true). */
    public B discoverModules(boolean discover) {
        this.discover = discover;
        return self();
    }

    /** The class loader modules are discovered in. */
    public B classLoader(ClassLoader cl) {
        this.classLoader = cl;
        return self();
    }

    /** Installs these modules in addition to those discovered. */
    public B modules(List<LuaModule> modules) {
        this.modules = List.copyOf(modules);
        return self();
    }

    /**
     * The fiber mode to ask for (default null: {@code -Deplua.fibers}, else the fastest the JVM allows). One the
     * JVM cannot give falls back to the next one down, with the reason logged; {@link Engine#fiberMode()} tells.
     */
    public B fiberMode(FiberMode mode) {
        this.fiberMode = mode;
        return self();
    }

    /**
     * How long tasks may take to finish once the engine starts closing (default null: {@code -Deplua.gracePeriod}
     * in milliseconds, else 2 s); then those left are cancelled. See {@link Engine#close()}.
     */
    /**
     * The group of loops the engine is placed on (default {@link LoopGroup#shared()}): it goes on the loop with
     * the fewest engines, and stays there.
     */
    public B loopGroup(LoopGroup group) {
        this.loopGroup = java.util.Objects.requireNonNull(group, "group");
        return self();
    }

    /** A loop (one thread) of the engine's own, stopped when it closes, instead of a place on a shared one. */
    public B ownLoop(boolean own) {
        this.ownLoop = own;
        return self();
    }

    public B gracePeriod(Duration grace) {
        this.gracePeriod = grace;
        return self();
    }

    /**
     * The engine's {@link Profile} (default null: {@code -Deplua.profile}, else {@link Profile#TRUSTED}). See
     * {@code eplua-core/CONTAINMENT.md} for what the sandbox allows.
     */
    public B profile(Profile profile) {
        this.profile = profile;
        return self();
    }

    /**
     * How long one callback may hold the loop before it is reported, once, with its Lua traceback, to the error
     * handler (default {@code -Deplua.blockedLoopMillis}, else 2 s; zero: never).
     */
    public B blockedLoopThreshold(Duration threshold) {
        this.blockedLoopThreshold = threshold;
        return self();
    }

    /**
     * Where a sandboxed engine's scripts may connect: {@code host:port} patterns, e.g. {@code "api.example.com:443"},
     * {@code "*.example.com:*"}, {@code "127.0.0.1:8000-8099"} (default: {@code -Deplua.allowConnect}, a
     * comma-separated list, else nowhere). Trusted engines connect anywhere.
     */
    public B allowConnect(String... patterns) {
        this.allowConnect = List.of(patterns);
        return self();
    }

    /**
     * The ports a sandboxed engine's scripts may listen on (0: any free port; default: {@code -Deplua.allowListen},
     * else none). Trusted engines listen anywhere.
     */
    public B allowListen(int... ports) {
        List<Integer> l = new java.util.ArrayList<>();
        for (int p : ports) l.add(p);
        this.allowListen = List.copyOf(l);
        return self();
    }

    /**
     * The environment variables scripts see through {@code os.getenv}, instead of the process's (default: the
     * process's environment and a {@code .env} file in the working directory for a trusted engine; nothing for a
     * sandboxed one). A sandboxed engine never reads {@code .env}.
     */
    public B environment(Map<String, String> variables) {
        this.environment = Map.copyOf(variables);
        return self();
    }

    /**
     * The folders under which a sandboxed engine's {@code require} may read Lua files, through
     * {@code package.path} (default: {@code -Deplua.requireRoots}, comma-separated, else none: only
     * {@code package.preload}). Trusted engines read from anywhere.
     */
    public B requireRoots(List<Path> roots) {
        this.requireRoots = List.copyOf(roots);
        return self();
    }

    /**
     * The most Lua instructions (library work counts alike) a task, callback or eval may run before it suspends
     * (sleep, await, yield, ...); past it the task gets the catchable error {@code "budget: instructions ..."}
     * and, if it goes on anyway, ends with it. 0: no limit. Default: {@code -Deplua.maxInstructions}, else none
     * when trusted and 20,000,000 in the sandbox.
     */
    public B maxInstructions(long perSlice) {
        this.maxInstructions = perSlice;
        return self();
    }

    /**
     * The wall-clock time a host's call into Lua ({@link #eval}, {@link #spawn}, {@link #invoke}) may take,
     * awaits included; past it the task gets the catchable error {@code "budget: time ..."}, then ends a second
     * later if it goes on. Null or zero: no limit. Default: {@code -Deplua.maxEvalTime} (ms), else none when
     * trusted and 10 s in the sandbox.
     */
    public B evalTimeout(Duration timeout) {
        this.evalTimeout = timeout == null ? Duration.ZERO : timeout;
        return self();
    }

    /**
     * The largest string a library function may build ({@code string.rep}, {@code format}, {@code gsub},
     * {@code table.concat}, ...), in bytes: past it, the catchable error {@code "resulting string too large"}.
     * Default: {@code -Deplua.maxString}, else 256 MiB when trusted and 16 MiB in the sandbox.
     */
    public B maxStringSize(long bytes) {
        this.maxStringSize = bytes;
        return self();
    }

    /**
     * The most entries a library function may put in one table or result list ({@code table.unpack},
     * {@code json.decode}, ...). Default: {@code -Deplua.maxTable}, else 2^26 when trusted and 1,000,000 in the
     * sandbox.
     */
    public B maxTableSize(int entries) {
        this.maxTableSize = entries;
        return self();
    }

    /**
     * The most tasks alive at once: {@code spawn} past it raises the catchable error {@code "budget: tasks ..."}
     * in its caller; timer callbacks and host calls still run. Default: {@code -Deplua.maxTasks}, else 8,192 on
     * platform-thread fibers (Java 17) and 1,000,000 on virtual ones when trusted, 1,000 in the sandbox.
     */
    public B maxTasks(int tasks) {
        this.maxTasks = tasks;
        return self();
    }

    public B output(Writer w) {
        this.out = w;
        return self();
    }

    public B errorOutput(Writer w) {
        this.err = w;
        return self();
    }

    public B input(Reader r) {
        this.in = r;
        return self();
    }

    public B errorHandler(Consumer<LuaScriptException> handler) {
        this.errorHandler = handler;
        return self();
    }

    EngineOptions() {}

    /** The builder itself, for chaining. */
    abstract B self();
}
