package eplua.core;

import java.util.Locale;

/**
 * What the scripts of an engine may reach. Chosen per engine: by {@link Engine.Builder#profile}, else by
 * {@code -Deplua.profile=trusted|sandbox} (every engine of the JVM); a javax.script engine also reads the attribute
 * {@code eplua.profile} before its first {@code eval}, and the command line has {@code --sandbox}. See
 * {@code eplua-core/CONTAINMENT.md}.
 */
public enum Profile {
    /** The full standard library, {@code luajava}, files, processes and the network: the script is the host's own code. */
    TRUSTED,
    /**
     * No host classes, files, processes or environment; the network only where allowed; tight budgets. Timers, tasks,
     * coroutines, json, string/table/math, the context's streams and the host objects put in the bindings still work.
     */
    SANDBOX;

    /** The profile {@code -Deplua.profile} asks for (default {@link #TRUSTED}). */
    public static Profile forNewEngines() {
        String p = System.getProperty("eplua.profile");
        return p == null || p.isBlank() ? TRUSTED : parse(p);
    }

    /** {@code "trusted"} or {@code "sandbox"} (any case); anything else is an {@link IllegalArgumentException}. */
    public static Profile parse(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown eplua profile '" + name + "' (expected trusted or sandbox)");
        }
    }

    /** The name as properties and attributes spell it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
