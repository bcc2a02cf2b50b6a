package eplua.core.internal.lib;

import eplua.core.internal.task.Guard;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * {@code string.find}, {@code string.match}, {@code string.gmatch} and {@code string.gsub} as Lua 5.2's, on
 * {@link PatternMatcher}: LuaJ's matcher is recursive Java that no engine can stop. Stateless: one of each serves
 * every engine; each call finds its engine's {@link Guard} when it starts.
 */
final class PatternFunctions {
    static final LuaValue FIND = new Find(true);
    static final LuaValue MATCH = new Find(false);
    static final LuaValue GMATCH = new GMatch();
    static final LuaValue GSUB = new GSub();
    /** The characters that make a pattern more than a plain string (C Lua's SPECIALS). */
    private static final String SPECIALS = "^$*+?.([%-";

    private PatternFunctions() {}

    /** Installs the four functions in a string library table. */
    static void install(LuaTable string) {
        string.rawset("find", FIND);
        string.rawset("match", MATCH);
        string.rawset("gmatch", GMATCH);
        string.rawset("gsub", GSUB);
    }

    /** C Lua's posrelat: a negative position counts from the end (-1 is the last byte). */
    private static long relative(long pos, int len) {
        if (pos >= 0) return pos;
        if (-pos > len) return 0;
        return len + pos + 1;
    }

    /** luaL_optinteger: the number truncated (nil or absent: {@code dflt}). */
    private static long optInteger(String fn, Varargs args, int arg, long dflt) {
        return args.arg(arg).isnil() ? dflt : StringFormat.cLong(LibArgs.number(fn, args, arg));
    }

    /** A function of a subject and a pattern, its first two arguments (strings, or numbers as strings). */
    private abstract static class OnPattern extends VarArgFunction {
        OnPattern(String name) {
            this.name = name;
        }

        @Override
        public final Varargs invoke(Varargs args) {
            return apply(LibArgs.string(name, args, 1), LibArgs.string(name, args, 2), args);
        }

        /** The function, its subject and pattern read; {@code args} has them and the rest. */
        abstract Varargs apply(LuaString s, LuaString p, Varargs args);
    }

    /** string.find(s, pattern [, init [, plain]]) and string.match(s, pattern [, init]). */
    private static final class Find extends OnPattern {
        private final boolean find;

        Find(boolean find) {
            super(find ? "find" : "match");
            this.find = find;
        }

        @Override
        Varargs apply(LuaString s, LuaString p, Varargs args) {
            int ls = s.m_length;
            long init = relative(optInteger(name, args, 3, 1), ls);
            if (init < 1) init = 1;
            else if (init > ls + 1L) return NIL; // starts after the end: nothing to find
            Guard guard = Guard.current();
            if (find && (args.arg(4).toboolean() || noSpecials(p))) {
                int at = plainFind(s, (int) init - 1, p, guard);
                if (at < 0) return NIL;
                return varargsOf(valueOf(at + 1), valueOf(at + p.m_length));
            }
            boolean anchor = p.m_length > 0 && p.m_bytes[p.m_offset] == '^';
            int pStart = p.m_offset + (anchor ? 1 : 0);
            PatternMatcher m = new PatternMatcher(s, p, guard);
            int s1 = m.sInit() + (int) init - 1;
            do {
                int e = m.matchAt(s1, pStart);
                if (e != -1) {
                    if (find) {
                        LuaValue[] caps = m.captures(-1, -1);
                        LuaValue[] out = new LuaValue[caps.length + 2];
                        out[0] = valueOf(s1 - m.sInit() + 1);
                        out[1] = valueOf(e - m.sInit());
                        System.arraycopy(caps, 0, out, 2, caps.length);
                        return varargsOf(out);
                    }
                    return varargsOf(m.captures(s1, e));
                }
            } while (s1++ < m.sEnd() && !anchor);
            return NIL;
        }
    }

    private static boolean noSpecials(LuaString p) {
        for (int i = 0; i < p.m_length; i++) if (SPECIALS.indexOf(p.m_bytes[p.m_offset + i]) >= 0) return false;
        return true;
    }

    /** The index of {@code p} in {@code s} at or after {@code from}, or -1. */
    private static int plainFind(LuaString s, int from, LuaString p, Guard guard) {
        int lp = p.m_length;
        if (lp == 0) return from;
        byte[] sb = s.m_bytes;
        byte[] pb = p.m_bytes;
        byte first = pb[p.m_offset];
        int last = s.m_length - lp;
        int work = 0;
        for (int i = from; i <= last; i++) {
            if (++work == 4096) {
                work = 0;
                guard.work(4096);
            }
            if (sb[s.m_offset + i] != first) continue;
            int k = 1;
            while (k < lp && sb[s.m_offset + i + k] == pb[p.m_offset + k]) k++;
            if (k == lp) return i;
            work += k;
        }
        return -1;
    }

    /** string.gmatch(s, pattern): an iterator over the matches (a '^' is a plain character here, as in 5.2). */
    private static final class GMatch extends OnPattern {
        GMatch() {
            super("gmatch");
        }

        @Override
        Varargs apply(LuaString s, LuaString p, Varargs args) {
            return new VarArgFunction() {
                private int next; // offset in s where the next search starts

                @Override
                public Varargs invoke(Varargs ignored) {
                    PatternMatcher m = new PatternMatcher(s, p, Guard.current());
                    for (int src = m.sInit() + next; src <= m.sEnd(); src++) {
                        int e = m.matchAt(src, p.m_offset);
                        if (e != -1) {
                            next = e - m.sInit() + (e == src ? 1 : 0); // an empty match moves on by one
                            return varargsOf(m.captures(src, e));
                        }
                    }
                    next = s.m_length + 1;
                    return NIL;
                }
            };
        }
    }

    /** string.gsub(s, pattern, repl [, n]): repl a string (with %0-%9 and %%), a table or a function. */
    private static final class GSub extends OnPattern {
        GSub() {
            super("gsub");
        }

        @Override
        Varargs apply(LuaString src, LuaString p, Varargs args) {
            LuaValue repl = args.arg(3);
            int tr = repl.type();
            if (tr != TNUMBER && tr != TSTRING && tr != TFUNCTION && tr != TTABLE)
                throw LibArgs.error(name, 3, "string/function/table expected");
            long max = optInteger(name, args, 4, src.m_length + 1L);
            if (max < 0) max = Long.MAX_VALUE; // C Lua reads it as a size_t
            LuaString replString = tr == TNUMBER || tr == TSTRING ? LibArgs.string(name, args, 3) : null;
            boolean anchor = p.m_length > 0 && p.m_bytes[p.m_offset] == '^';
            int pStart = p.m_offset + (anchor ? 1 : 0);
            Guard guard = Guard.current();
            PatternMatcher m = new PatternMatcher(src, p, guard);
            ByteBuilder b = new ByteBuilder(src.m_length);
            int at = m.sInit();
            long n = 0;
            while (n < max) {
                int e = m.matchAt(at, pStart);
                if (e != -1) {
                    n++;
                    int before = b.length();
                    if (replString != null) addString(b, m, replString, at, e);
                    else addValue(b, m, repl, at, e);
                    guard.work(1 + ((b.length() - before) >> 6)); // building the result is work too
                }
                if (e != -1 && e > at) {
                    at = e;
                } else if (at < m.sEnd()) {
                    b.add(src.m_bytes[at++]);
                } else {
                    break;
                }
                if (anchor) break;
            }
            b.add(src.m_bytes, at, m.sEnd() - at);
            return varargsOf(b.toLuaString(), valueOf((double) n));
        }

        /** A replacement string: %0 the match, %1-%9 its captures, %% a percent sign. */
        private static void addString(ByteBuilder b, PatternMatcher m, LuaString r, int from, int to) {
            byte[] rb = r.m_bytes;
            int end = r.m_offset + r.m_length;
            for (int i = r.m_offset; i < end; i++) {
                byte c = rb[i];
                if (c != '%') {
                    b.add(c);
                    continue;
                }
                i++;
                int d = i < end ? rb[i] : 0;
                if (d < '0' || d > '9') {
                    if (d != '%') throw new LuaError("invalid use of '%' in replacement string");
                    b.add((byte) '%');
                } else if (d == '0') {
                    b.add(m.substring(from, to));
                } else {
                    b.add(LibArgs.string("gsub", m.capture(d - '1', from, to), 1));
                }
            }
        }

        /** A table's value for the first capture, or a function's result for all: false or nil keep the match. */
        private static void addValue(ByteBuilder b, PatternMatcher m, LuaValue repl, int from, int to) {
            LuaValue v = repl.istable() ? repl.get(m.capture(0, from, to)) : repl.invoke(varargsOf(m.captures(from, to))).arg1();
            if (!v.toboolean()) {
                b.add(m.substring(from, to));
            } else if (v.type() == TSTRING || v.type() == TNUMBER) {
                b.add(LibArgs.string("gsub", v, 1));
            } else {
                throw new LuaError("invalid replacement value (a " + v.typename() + ")");
            }
        }
    }
}
