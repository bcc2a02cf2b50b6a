package eplua.core.testing;

import java.util.function.Supplier;

/** Tests that need a system property while something is made (engines read theirs when they start). */
public final class SystemProperties {
    private SystemProperties() {}

    /** {@code make.get()} with {@code name=value} set, the property restored afterwards. */
    public static <T> T with(String name, String value, Supplier<T> make) {
        String old = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return make.get();
        } finally {
            if (old == null) System.clearProperty(name);
            else System.setProperty(name, old);
        }
    }
}
