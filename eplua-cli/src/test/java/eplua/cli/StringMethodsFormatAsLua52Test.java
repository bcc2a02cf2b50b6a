package eplua.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code s:format()} goes through LuaJ's one string metatable of the JVM, whose {@code __index} is the string table
 * of the first Globals created: under javax.script discovery that is LuaJ's own engine factory's. The method form
 * must still be Lua 5.2's format and rep.
 */
class StringMethodsFormatAsLua52Test {
    @Test
    void methodCallsOnStringsUseTheReplacedFunctions() {
        Child c = Child.eplua(null, "-e", "print(('%5.2f|%-4s|'):format(1/3, 'ab'), ('x'):rep(3, ','), 1/3)");
        assertEquals(0, c.exit, c.toString());
        assertEquals(List.of(" 0.33|ab  |\tx,x,x\t0.33333333333333"), c.lines());
    }
}
