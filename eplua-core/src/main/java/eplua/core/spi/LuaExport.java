package eplua.core.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method as a Lua function of its module's native table ({@link ModuleContext#export(Object)}).
 *
 * <p>Parameters are taken from the Lua arguments in order: {@link org.luaj.vm2.LuaValue} (as is),
 * {@link org.luaj.vm2.Varargs} (all remaining), {@code String}, {@code byte[]} (binary-safe), {@code int},
 * {@code long}, {@code double}, {@code boolean}, {@link org.luaj.vm2.LuaTable}, {@link org.luaj.vm2.LuaFunction},
 * {@code Object} (converted by {@link eplua.core.convert.LuaConvert#toJava}). A missing primitive is a Lua
 * "bad argument" error. The result is converted back with {@link eplua.core.convert.LuaConvert#toLua}; a
 * {@link org.luaj.vm2.Varargs} result returns several values, {@code void} none. A
 * {@link java.util.concurrent.CompletableFuture} result is an awaitable for Lua's {@code await}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface LuaExport {
    /** The Lua name; the method name when empty. */
    String value() default "";
}
