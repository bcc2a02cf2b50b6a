package eplua.core.convert;

import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/** {@code pairs}/{@code ipairs} of a list or an array: (1, a[1]), (2, a[2])... read live, up to the end. */
final class IndexPairs extends OneArgFunction {
    private static final LuaValue NEXT = new VarArgFunction() {
        @Override
        public Varargs invoke(Varargs args) {
            LuaValue self = args.arg1();
            int i = args.arg(2).toint() + 1;
            LuaValue v = ((JavaObject) self).at(i);
            return v.isnil() && past(self, i) ? NIL : varargsOf(LuaInteger.valueOf(i), v);
        }
    };

    /** A null element inside the list is nil but does not end the loop. */
    private static boolean past(LuaValue self, int i) {
        return i > self.length();
    }

    @Override
    public LuaValue call(LuaValue self) {
        return NEXT;
    }

    @Override
    public Varargs invoke(Varargs args) {
        return varargsOf(NEXT, args.arg1(), LuaValue.ZERO);
    }
}
