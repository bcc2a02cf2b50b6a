package eplua.core.internal.contain;

import eplua.core.Profile;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an {@link eplua.core.Engine.Builder} said about containment. Null means "not said": the system property,
 * else the profile's default (see {@link Policy}).
 *
 * @param env what {@code os.getenv} sees (null: the process environment, or nothing in the sandbox)
 * @param requireRoots folders a sandboxed {@code require} may load from (null: none)
 * @param connect {@code host:port} patterns a sandboxed script may connect to (see {@link NetAllowList})
 * @param listen ports a sandboxed script may listen on
 */
public record ContainConfig(Profile profile, Map<String, String> env, List<Path> requireRoots, List<String> connect,
                            List<Integer> listen, Long maxInstructions, Duration evalTimeout, Long maxString,
                            Integer maxTable, Integer maxTasks) {
    /** Nothing said: every value from the system properties or the profile's defaults. */
    public static final ContainConfig DEFAULT = new ContainConfig(null, null, null, null, null, null, null, null, null,
            null);
}
