package eplua.core.internal.lib;

import eplua.core.internal.task.Guard;
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
    private static final LuaValue SORT = new TableSort();

    private StandardLibFixes() {}

    /**
     * Replaces the functions in {@code globals}' string and table libraries and its {@code load}, and gives the
     * engine its own string metatable ({@link StringMeta}). On the engine's loop thread, bound to its guard.
     */
    public static void install(Globals globals) {
        LuaTable string = (LuaTable) globals.get("string");
        string.set("format", FORMAT);
        string.set("rep", REP);
        PatternFunctions.install(string);
        StringMeta.install(globals, Guard.current());
        LuaTable table = (LuaTable) globals.get("table");
        table.set("concat", CONCAT);
        table.set("sort", SORT);
        table.set("unpack", new Unpack(table.get("unpack")));
        globals.set("load", new Load(globals, globals.get("load")));
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
            Guard guard = Guard.current();
            guard.work(total >> 8); // building a large string is work: a budget or close() may stop it here
            byte[] out = new byte[total];
            System.arraycopy(s.m_bytes, s.m_offset, out, 0, l);
            if (times > 1) System.arraycopy(sep.m_bytes, sep.m_offset, out, l, lsep);
            // the result repeats s..sep: double the filled part until done (few large copies, not n small ones)
            for (int filled = Math.min(l + lsep, total); filled < total; ) {
                int chunk = Math.min(filled, total - filled);
                System.arraycopy(out, 0, out, filled, chunk);
                filled += chunk;
                guard.work(chunk >> 8);
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
            int last = args.arg(4).isnil() ? StandardLibFixes.lengthOf(t) : LibArgs.integer("concat", args, 4);
            if (i > last) return LuaValue.EMPTYSTRING;
            LuaString[] parts = new LuaString[(int) Math.min((long) last - i + 1, 1024)];
            int count = 0;
            long total = 0;
            Guard guard = Guard.current();
            for (long k = i; k <= last; k++) {
                guard.work(1);
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
            guard.work((int) (total >> 8));
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

    }

    /** luaL_len: {@code #t} with {@code __len}, which must give a number. */
    static int lengthOf(LuaValue t) {
        LuaValue n = t.len();
        if (!n.isnumber()) throw new LuaError("object length is not a number");
        return (int) StringFormat.cLong(n.todouble());
    }

    /**
     * table.unpack(t [, i [, j]]): LuaJ's, refused with Lua's "too many results to unpack" past the engine's table
     * size budget (LuaJ would try to allocate them all: {@code table.unpack({}, 1, 2^31-1)}).
     */
    static final class Unpack extends Wrapper {
        Unpack(LuaValue luaj) {
            super("unpack", luaj);
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue t = args.arg1();
            if (t.istable()) {
                long i = args.arg(2).isnil() ? 1 : StringFormat.cLong(LibArgs.number("unpack", args, 2));
                long j = args.arg(3).isnil() ? StandardLibFixes.lengthOf(t) : StringFormat.cLong(LibArgs.number("unpack", args, 3));
                if (i <= j && (j - i >= Integer.MAX_VALUE || j - i + 1 > Math.min(StringLimits.maxEntries(), 1_000_000)))
                    throw new LuaError("too many results to unpack");
            }
            return luaj.invoke(args);
        }
    }

    /**
     * table.sort(t [, comp]): Lua 5.2's quicksort (the same comparisons in the same order, the same
     * "invalid order function for sorting"), done in place with raw access as C Lua does; each comparison is work
     * reported to the engine, so close() and the budgets stop a sort of a huge table.
     */
    static final class TableSort extends VarArgFunction {
        TableSort() {
            name = "sort";
        }

        @Override
        public Varargs invoke(Varargs args) {
            LuaValue t = args.arg1();
            if (!t.istable()) throw LibArgs.typeError("sort", args, 1, "table");
            int n = StandardLibFixes.lengthOf(t);
            LuaValue comp = args.arg(2);
            if (!comp.isnil() && !comp.isfunction()) throw LibArgs.typeError("sort", args, 2, "function");
            new Sorter((LuaTable) t, comp.isnil() ? null : comp, Guard.current()).sort(1, n);
            return NONE;
        }
    }

    /** One sort of table {@code a} by {@code comp} (null: Lua's {@code <}), each comparison reported to guard. */
    private record Sorter(LuaTable a, LuaValue comp, Guard guard) {
        private boolean less(LuaValue x, LuaValue y) {
            guard.work(1);
            return comp != null ? comp.call(x, y).toboolean() : lessThan(x, y);
        }

        /** Lua 5.2's {@code <}: numbers, strings byte-wise, else {@code __lt} of either, else its error. */
        private static boolean lessThan(LuaValue x, LuaValue y) {
            int tx = x.type();
            int ty = y.type();
            if (tx == LuaValue.TNUMBER && ty == LuaValue.TNUMBER) return x.todouble() < y.todouble();
            if (tx == LuaValue.TSTRING && ty == LuaValue.TSTRING) return x.strvalue().strcmp(y.strvalue()) < 0;
            LuaValue h = x.metatag(LuaValue.LT);
            if (h.isnil()) h = y.metatag(LuaValue.LT);
            if (!h.isnil()) return h.call(x, y).toboolean();
            throw new LuaError("attempt to compare " + (tx == ty ? "two " + x.typename() + " values"
                    : x.typename() + " with " + y.typename()));
        }

        private void swap(int i, int j) {
            LuaValue t = a.rawget(i);
            a.rawset(i, a.rawget(j));
            a.rawset(j, t);
        }

        void sort(int l, int u) {
            while (l < u) { // the larger part loops, the smaller one recurses: depth O(log n)
                if (less(a.rawget(u), a.rawget(l))) swap(l, u);
                if (u - l == 1) break;
                int i = (l + u) >>> 1;
                if (less(a.rawget(i), a.rawget(l))) {
                    swap(i, l);
                } else if (less(a.rawget(u), a.rawget(i))) {
                    swap(i, u);
                }
                if (u - l == 2) break;
                LuaValue pivot = a.rawget(i);
                swap(i, u - 1); // a[l] <= pivot == a[u-1] <= a[u]: partition l+1 .. u-2
                i = l;
                int j = u - 1;
                while (true) {
                    while (less(a.rawget(++i), pivot))
                        if (i >= u) throw new LuaError("invalid order function for sorting");
                    while (less(pivot, a.rawget(--j)))
                        if (j <= l) throw new LuaError("invalid order function for sorting");
                    if (j < i) break;
                    swap(i, j);
                }
                swap(u - 1, i);
                if (i - l < u - i) {
                    sort(l, i - 1);
                    l = i + 1;
                } else {
                    sort(i + 1, u);
                    u = i - 1;
                }
            }
        }
    }

    /**
     * load(ld [, source [, mode [, env]]]): LuaJ's, but a text chunk is named as Lua 5.2 names it in messages. LuaJ
     * writes a chunk's raw source into runtime errors ({@code for i=1,nil do end:1 ...}); given
     * {@code "=[string \"...\"]"} instead, its syntax errors, runtime errors and tracebacks all read
     * {@code [string "for i=1,nil do end"]:1:}. Explicit {@code "=name"} and {@code "@file"} names pass as they are.
     */
    static final class Load extends Wrapper {
        private final Globals globals;

        Load(Globals globals, LuaValue luaj) {
            super("load", luaj);
            this.globals = globals;
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
            String chunkName = name.m_length > 0 && (name.m_bytes[name.m_offset] == '=' || name.m_bytes[name.m_offset] == '@')
                    ? name.tojstring() : "=" + ChunkId.of(name.m_bytes, name.m_offset, name.m_length);
            // as LuaJ's load, but the compiler reads through a stream that reports its work: a huge chunk stops at
            // close() and at the budgets
            try {
                return globals.load(new WorkingStream(code, Guard.current()), chunkName, mode, args.optvalue(4, globals));
            } catch (LuaError e) {
                if (String.valueOf(e.getMessage()).startsWith("budget:")) throw e;
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(e.getMessage()));
            } catch (RuntimeException e) {
                return LuaValue.varargsOf(LuaValue.NIL, LuaValue.valueOf(String.valueOf(e.getMessage())));
            }
        }
    }

    /** A Lua string's bytes as a stream that reports each 4 KiB read to the engine's guard. */
    private static final class WorkingStream extends java.io.InputStream {
        private final LuaString s;
        private final Guard guard;
        private int at;
        private int sincePoll;

        WorkingStream(LuaString s, Guard guard) {
            this.s = s;
            this.guard = guard;
        }

        @Override
        public int read() {
            if (at >= s.m_length) return -1;
            if (++sincePoll == 4096) {
                sincePoll = 0;
                guard.work(256);
            }
            return s.m_bytes[s.m_offset + at++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (at >= s.m_length) return -1;
            int n = Math.min(len, Math.min(4096, s.m_length - at));
            System.arraycopy(s.m_bytes, s.m_offset + at, b, off, n);
            at += n;
            guard.work(n >> 4);
            return n;
        }
    }
}
