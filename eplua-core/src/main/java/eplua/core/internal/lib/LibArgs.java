package eplua.core.internal.lib;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** Argument checks of the replaced library functions, worded as C Lua 5.2's luaL_check* words them. */
final class LibArgs {
    private LibArgs() {}

    static LuaError error(String fn, int arg, String message) {
        return new LuaError("bad argument #" + arg + " to '" + fn + "' (" + message + ")");
    }

    static LuaError typeError(String fn, Varargs args, int arg, String expected) {
        return error(fn, arg, expected + " expected, got " + typeName(args, arg));
    }

    static String typeName(Varargs args, int arg) {
        return arg > args.narg() ? "no value" : args.arg(arg).typename();
    }

    /** luaL_checklstring: a string, or a number written as Lua 5.2 writes it. */
    static LuaString string(String fn, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TSTRING) return v.strvalue();
        if (v.type() == LuaValue.TNUMBER) return LuaValue.valueOf(StringFormat.numberToString(v.todouble()));
        throw typeError(fn, args, arg, "string");
    }

    /** luaL_optlstring. */
    static LuaString optString(String fn, Varargs args, int arg, LuaString dflt) {
        return args.arg(arg).isnil() ? dflt : string(fn, args, arg);
    }

    /** luaL_checknumber: a number, or a string that converts to one. */
    static double number(String fn, Varargs args, int arg) {
        LuaValue v = args.arg(arg);
        if (v.type() == LuaValue.TNUMBER) return v.todouble();
        if (v.type() == LuaValue.TSTRING) {
            LuaValue n = v.tonumber();
            if (!n.isnil()) return n.todouble();
        }
        throw typeError(fn, args, arg, "number");
    }

    /** luaL_checkint: the number truncated as C converts a double to int on x86-64. */
    static int integer(String fn, Varargs args, int arg) {
        return (int) StringFormat.cLong(number(fn, args, arg));
    }
}
