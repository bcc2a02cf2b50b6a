package eplua.core.internal.lib;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Standard library functions that LuaJ 3.0.1 gets wrong in ways scripts meet daily, replaced by ones that behave as
 * C Lua 5.2's: {@code string.format} ({@link StringFormat}), {@code string.rep} (counts in int arithmetic that wrap,
 * no {@code sep}), {@code table.concat} (an int overflow past 2 GiB, numbers in Java's form), {@code load} of a
 * string (chunks named {@code [string "..."]} in messages), {@code tostring} of numbers and {@code math.log} with a
 * base. Strings they build are held to {@link StringLimits}.
 */
public final class StandardLibFixes {
    // stateless: one of each serves every engine
    private static final LuaValue FORMAT = new StringFormat();
    private static final LuaValue REP = new Rep();
    private static final LuaValue CONCAT = new Concat();

    private StandardLibFixes() {}

    /** Replaces the functions in {@code globals}' string and table libraries and its {@code load}. */
    public static void install(Globals globals) {
        LuaTable string = (LuaTable) globals.get("string");
        string.set("format", FORMAT);
        string.set("rep", REP);
        // s:format() looks in LuaJ's one string metatable of the JVM, whose __index is the string table of the
        // first Globals created (maybe another engine's, or LuaJ's own javax.script factory's): fix it there too
        LuaValue meta = LuaString.s_metatable;
        LuaValue shared = meta != null && meta.istable() ? meta.rawget(LuaValue.INDEX) : LuaValue.NIL;
        if (shared.istable() && shared != string) {
            shared.rawset("format", FORMAT);
            shared.rawset("rep", REP);
        }
        ((LuaTable) globals.get("table")).set("concat", CONCAT);
        globals.set("load", new Load(globals.get("load")));
        globals.set("tostring", new Tostring(globals.get("tostring")));
        ((LuaTable) globals.get("math")).set("log", LOG);
    }

    /**
     * tostring(v): numbers as Lua 5.2 writes them ({@code %.14g}: 0.33333333333333, 1e+100), where LuaJ 3.0.1 goes
     * through float ({@code 0.33333334}, {@code Infinity} for 1e100); print uses it too. Other values as LuaJ's.
     * Concatenation and io.write still use LuaJ's own conversion (in its VM).
     */
    static final class Tostring extends Wrapper {
        Tostring(LuaValue luaj) {
            super("tostring", luaj);
        }

        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) throw LibArgs.error("tostring", 1, "value expected");
            LuaValue v = args.arg1();
            if (v.type() == LuaValue.TNUMBER && v.getmetatable() == null) {
                return LuaValue.valueOf(StringFormat.numberToString(v.todouble()));
            }
            return luaj.invoke(args);
        }
    }

    /** A replacement that hands the cases LuaJ gets right to LuaJ's own function. */
    abstract static class Wrapper extends VarArgFunction {
        final LuaValue luaj;

        Wrapper(String name, LuaValue luaj) {
            this.name = name;
            this.luaj = luaj;
        }
    }

    /** math.log(x [, base]): LuaJ 3.0.1 ignores the base. */
    private static final LuaValue LOG = new VarArgFunction() {
        {
            name = "log";
        }

        @Override
        public Varargs invoke(Varargs args) {
            double x = LibArgs.number("log", args, 1);
            if (args.arg(2).isnil()) return LuaValue.valueOf(Math.log(x));
            double base = LibArgs.number("log", args, 2);
            return LuaValue.valueOf(base == 10.0 ? Math.log10(x) : Math.log(x) / Math.log(base));
        }
    };

    /** string.rep(s, n [, sep]): n copies of s separated by sep; a result past the limit is an error, not a wrap. */
    static final class Rep extends VarArgFunction {
        Rep() {
            name = "rep";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString s = LibArgs.string("rep", args, 1);
            double n = LibArgs.number("rep", args, 2);
            LuaString sep = LibArgs.optString("rep", args, 3, LuaValue.EMPTYSTRING);
            int l = s.m_length;
            int lsep = sep.m_length;
            if (!(n >= 1) || l + lsep == 0) return LuaValue.EMPTYSTRING;
            double count = Math.floor(n);
            StringLimits.check(count * l + (count - 1) * lsep); // NaN for an infinite count: refused
            int times = (int) count;
            int total = times * l + (times - 1) * lsep;
            byte[] out = new byte[total];
            System.arraycopy(s.m_bytes, s.m_offset, out, 0, l);
            if (times > 1) System.arraycopy(sep.m_bytes, sep.m_offset, out, l, lsep);
            // the result repeats s..sep: double the filled part until done (few large copies, not n small ones)
            for (int filled = Math.min(l + lsep, total); filled < total; ) {
                int chunk = Math.min(filled, total - filled);
                System.arraycopy(out, 0, out, filled, chunk);
                filled += chunk;
            }
            return LuaString.valueUsing(out);
        }
    }

    /**
     * table.concat(t [, sep [, i [, j]]]): as Lua 5.2's, the length in long arithmetic and held to the limit;
     * values read raw, numbers written as Lua writes them, {@code #t} honouring {@code __len}.
     */
    static final class Concat extends VarArgFunction {
        Concat() {
            name = "concat";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaString sep = LibArgs.optString("concat", args, 2, LuaValue.EMPTYSTRING);
            LuaValue t = args.arg1();
            if (!t.istable()) throw LibArgs.typeError("concat", args, 1, "table");
            int i = args.arg(3).isnil() ? 1 : LibArgs.integer("concat", args, 3);
            int last = args.arg(4).isnil() ? length(t) : LibArgs.integer("concat", args, 4);
            if (i > last) return LuaValue.EMPTYSTRING;
            LuaString[] parts = new LuaString[(int) Math.min((long) last - i + 1, 1024)];
            int count = 0;
            long total = 0;
            for (long k = i; k <= last; k++) {
                LuaValue v = ((LuaTable) t).rawget((int) k);
                LuaString s;
                if (v.type() == LuaValue.TSTRING) s = v.strvalue();
                else if (v.type() == LuaValue.TNUMBER) s = LuaValue.valueOf(StringFormat.numberToString(v.todouble()));
                else throw new LuaError("invalid value (" + v.typename() + ") at index " + k
                        + " in table for 'concat'");
                if (count == parts.length) parts = java.util.Arrays.copyOf(parts, count * 2);
                parts[count++] = s;
                total += s.m_length + (k < last ? sep.m_length : 0);
                StringLimits.check(total);
            }
            byte[] out = new byte[(int) total];
            int at = 0;
            for (int k = 0; k < count; k++) {
                if (k > 0) {
                    System.arraycopy(sep.m_bytes, sep.m_offset, out, at, sep.m_length);
                    at += sep.m_length;
                }
                System.arraycopy(parts[k].m_bytes, parts[k].m_offset, out, at, parts[k].m_length);
                at += parts[k].m_length;
            }
            return LuaString.valueUsing(out);
        }

        /** luaL_len: {@code #t} with {@code __len}, which must give a number. */
        private static int length(LuaValue t) {
            LuaValue n = t.len();
            if (!n.isnumber()) throw new LuaError("object length is not a number");
            return (int) StringFormat.cLong(n.todouble());
        }
    }

    /**
     * load(ld [, source [, mode [, env]]]): LuaJ's, but a text chunk is named as Lua 5.2 names it in messages. LuaJ
     * writes a chunk's raw source into runtime errors ({@code for i=1,nil do end:1 ...}); given
     * {@code "=[string \"...\"]"} instead, its syntax errors, runtime errors and tracebacks all read
     * {@code [string "for i=1,nil do end"]:1:}. Explicit {@code "=name"} and {@code "@file"} names pass as they are.
     */
    static final class Load extends Wrapper {
        Load(LuaValue luaj) {
            super("load", luaj);
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue ld = args.arg1();
            LuaValue source = args.arg(2);
            if (ld.type() != LuaValue.TSTRING || !(source.isnil() || source.type() == LuaValue.TSTRING)) {
                return luaj.invoke(args);
            }
            LuaString code = ld.strvalue();
            boolean binary = code.m_length > 0 && code.m_bytes[code.m_offset] == 27;
            String mode = args.arg(3).isstring() ? args.arg(3).tojstring() : "bt";
            if (mode.indexOf(binary ? 'b' : 't') < 0) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf("attempt to load a "
                        + (binary ? "binary" : "text") + " chunk (mode is '" + mode + "')"));
            }
            if (binary) return luaj.invoke(args); // named inside
            LuaString name = source.isnil() ? code : source.strvalue();
            if (name.m_length > 0 && (name.m_bytes[name.m_offset] == '=' || name.m_bytes[name.m_offset] == '@')) {
                return luaj.invoke(args);
            }
            LuaValue named = LuaValue.valueOf("=" + ChunkId.of(name.m_bytes, name.m_offset, name.m_length));
            return luaj.invoke(LuaValue.varargsOf(ld, named, args.subargs(3)));
        }
    }
}
