package eplua.core.internal.lib;

import eplua.core.internal.task.Guard;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * One match of a Lua 5.2 pattern against a subject: the classes, sets, captures, position captures, {@code %b},
 * {@code %f}, anchors and back-references of the reference manual (section 6.4.1), with C Lua's error messages.
 * Backtracking can take exponential time ({@code ("a"):rep(40):find(("a*"):rep(20) .. "b")}), so every step is
 * counted and reported to the engine's {@link Guard} in batches: {@code close()} and the budgets stop a runaway match
 * as they stop a Lua loop. Recursion is bounded as in C Lua ({@code "pattern too complex"}).
 *
 * <p>Positions are indices into the subject's and the pattern's byte arrays; a position past the end reads as the
 * byte 0, as C Lua reads its strings' terminating NUL.
 */
final class PatternMatcher {
    static final int MAX_CAPTURES = 32;
    /** C Lua's MAXCCALLS: how deep the matcher may recurse. */
    private static final int MAX_DEPTH = 200;
    private static final int CAP_UNFINISHED = -1;
    private static final int CAP_POSITION = -2;
    private static final int POLL = 1024;

    private final byte[] s;
    private final int sInit;
    private final int sEnd;
    private final byte[] p;
    private final int pEnd;
    private final Guard guard;
    private int depth;
    private int steps;
    int level;
    private final int[] capInit = new int[MAX_CAPTURES];
    private final int[] capLen = new int[MAX_CAPTURES];

    /** A matcher of {@code pattern} (from byte {@code pStart}) against {@code subject}. */
    PatternMatcher(LuaString subject, LuaString pattern, Guard guard) {
        this.s = subject.m_bytes;
        this.sInit = subject.m_offset;
        this.sEnd = subject.m_offset + subject.m_length;
        this.p = pattern.m_bytes;
        this.pEnd = pattern.m_offset + pattern.m_length;
        this.guard = guard;
    }

    int sInit() {
        return sInit;
    }

    int sEnd() {
        return sEnd;
    }

    /** Tries the pattern from {@code pi} at subject position {@code si}: the end of the match, or -1. */
    int matchAt(int si, int pi) {
        level = 0;
        depth = MAX_DEPTH;
        return match(si, pi);
    }

    private void step() {
        if (++steps >= POLL) {
            steps = 0;
            guard.work(POLL);
        }
    }

    private int pc(int i) {
        return i < pEnd ? p[i] & 0xff : 0;
    }

    private int sc(int i) {
        return i < sEnd ? s[i] & 0xff : 0;
    }

    private int match(int si, int pi) {
        if (depth-- == 0) throw new LuaError("pattern too complex");
        try {
            while (true) {
                step();
                if (pi == pEnd) return si;
                switch (p[pi]) {
                    case '(':
                        if (pc(pi + 1) == ')') return startCapture(si, pi + 2, CAP_POSITION);
                        return startCapture(si, pi + 1, CAP_UNFINISHED);
                    case ')':
                        return endCapture(si, pi + 1);
                    case '$':
                        if (pi + 1 == pEnd) return si == sEnd ? si : -1;
                        break; // a '$' inside the pattern is a plain character
                    case '%': {
                        int c = pc(pi + 1);
                        if (c == 'b') {
                            si = matchBalance(si, pi + 2);
                            if (si == -1) return -1;
                            pi += 4;
                            continue;
                        }
                        if (c == 'f') {
                            pi += 2;
                            if (pc(pi) != '[') throw new LuaError("missing '[' after '%f' in pattern");
                            int ep = classEnd(pi);
                            int previous = si == sInit ? 0 : s[si - 1] & 0xff;
                            if (!matchBracketClass(previous, pi, ep - 1) && matchBracketClass(sc(si), pi, ep - 1)) {
                                pi = ep;
                                continue;
                            }
                            return -1;
                        }
                        if (c >= '0' && c <= '9') {
                            si = matchCapture(si, c);
                            if (si == -1) return -1;
                            pi += 2;
                            continue;
                        }
                        break;
                    }
                    default:
                        break;
                }
                // a single character class, with an optional repetition suffix
                int ep = classEnd(pi);
                int suffix = pc(ep);
                if (!singleMatch(si, pi, ep)) {
                    if (ep < pEnd && (suffix == '*' || suffix == '?' || suffix == '-')) {
                        pi = ep + 1; // accepts none
                        continue;
                    }
                    return -1;
                }
                if (ep < pEnd) {
                    switch (suffix) {
                        case '?': {
                            int r = match(si + 1, ep + 1);
                            if (r != -1) return r;
                            pi = ep + 1;
                            continue;
                        }
                        case '+':
                            return maxExpand(si + 1, pi, ep);
                        case '*':
                            return maxExpand(si, pi, ep);
                        case '-':
                            return minExpand(si, pi, ep);
                        default:
                            break;
                    }
                }
                si++;
                pi = ep;
            }
        } finally {
            depth++;
        }
    }

    private int maxExpand(int si, int pi, int ep) {
        int i = 0;
        while (singleMatch(si + i, pi, ep)) {
            i++;
            step();
        }
        for (; i >= 0; i--) { // as many as possible, then give back one at a time
            int r = match(si + i, ep + 1);
            if (r != -1) return r;
        }
        return -1;
    }

    private int minExpand(int si, int pi, int ep) {
        while (true) {
            int r = match(si, ep + 1);
            if (r != -1) return r;
            if (!singleMatch(si, pi, ep)) return -1;
            si++;
        }
    }

    private int startCapture(int si, int pi, int what) {
        if (level >= MAX_CAPTURES) throw new LuaError("too many captures");
        capInit[level] = si;
        capLen[level] = what;
        level++;
        int r = match(si, pi);
        if (r == -1) level--;
        return r;
    }

    private int endCapture(int si, int pi) {
        int l = captureToClose();
        capLen[l] = si - capInit[l];
        int r = match(si, pi);
        if (r == -1) capLen[l] = CAP_UNFINISHED;
        return r;
    }

    private int captureToClose() {
        for (int l = level - 1; l >= 0; l--) if (capLen[l] == CAP_UNFINISHED) return l;
        throw new LuaError("invalid pattern capture");
    }

    private int matchBalance(int si, int pi) {
        if (pi >= pEnd - 1) throw new LuaError("malformed pattern (missing arguments to '%b')");
        if (sc(si) != (p[pi] & 0xff) || si >= sEnd) return -1;
        int open = p[pi] & 0xff;
        int close = p[pi + 1] & 0xff;
        int depthOfNest = 1;
        while (++si < sEnd) {
            step();
            int c = s[si] & 0xff;
            if (c == close) {
                if (--depthOfNest == 0) return si + 1;
            } else if (c == open) {
                depthOfNest++;
            }
        }
        return -1;
    }

    private int matchCapture(int si, int digit) {
        int l = checkCapture(digit);
        int len = capLen[l];
        if (len >= 0 && sEnd - si >= len) {
            int from = capInit[l];
            for (int k = 0; k < len; k++) if (s[from + k] != s[si + k]) return -1;
            return si + len;
        }
        return -1;
    }

    private int checkCapture(int digit) {
        int l = digit - '1';
        if (l < 0 || l >= level || capLen[l] == CAP_UNFINISHED)
            throw new LuaError("invalid capture index %" + (l + 1));
        return l;
    }

    /** Where the single class at {@code pi} ends. */
    private int classEnd(int pi) {
        int c = p[pi++] & 0xff;
        if (c == '%') {
            if (pi >= pEnd) throw new LuaError("malformed pattern (ends with '%')");
            return pi + 1;
        }
        if (c == '[') {
            if (pc(pi) == '^') pi++;
            do { // look for the closing ']'; the first character of the set may be a ']'
                if (pi >= pEnd) throw new LuaError("malformed pattern (missing ']')");
                int x = p[pi++] & 0xff;
                if (x == '%' && pi < pEnd) pi++; // an escape, such as %]
            } while (pc(pi) != ']');
            return pi + 1;
        }
        return pi;
    }

    private boolean singleMatch(int si, int pi, int ep) {
        if (si >= sEnd) return false;
        int c = s[si] & 0xff;
        switch (p[pi]) {
            case '.':
                return true;
            case '%':
                return matchClass(c, pc(pi + 1));
            case '[':
                return matchBracketClass(c, pi, ep - 1);
            default:
                return (p[pi] & 0xff) == c;
        }
    }

    /** Does {@code c} belong to the set {@code [...]} from {@code pi} (the '[') to {@code ec} (the ']')? */
    private boolean matchBracketClass(int c, int pi, int ec) {
        boolean in = true;
        if (pc(pi + 1) == '^') {
            in = false;
            pi++;
        }
        while (++pi < ec) {
            int x = p[pi] & 0xff;
            if (x == '%') {
                pi++;
                if (matchClass(c, pc(pi))) return in;
            } else if (pc(pi + 1) == '-' && pi + 2 < ec) {
                pi += 2;
                if (x <= c && c <= (p[pi] & 0xff)) return in;
            } else if (x == c) {
                return in;
            }
        }
        return !in;
    }

    /** {@code %a %c %d %g %l %p %s %u %w %x %z} and their complements, in the C locale; others stand for themselves. */
    static boolean matchClass(int c, int cl) {
        boolean r;
        switch (cl | 0x20) {
            case 'a': r = isAlpha(c); break;
            case 'c': r = c < 32 || c == 127; break;
            case 'd': r = c >= '0' && c <= '9'; break;
            case 'g': r = c > 32 && c < 127; break;
            case 'l': r = c >= 'a' && c <= 'z'; break;
            case 'p': r = c > 32 && c < 127 && !isAlpha(c) && !(c >= '0' && c <= '9'); break;
            case 's': r = c == ' ' || (c >= 9 && c <= 13); break;
            case 'u': r = c >= 'A' && c <= 'Z'; break;
            case 'w': r = isAlpha(c) || (c >= '0' && c <= '9'); break;
            case 'x': r = (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); break;
            case 'z': r = c == 0; break;
            default: return cl == c;
        }
        if (cl < 'a' && cl >= 'A' && cl <= 'Z') return !r; // an upper-case class is the complement
        return r;
    }

    private static boolean isAlpha(int c) {
        return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    }

    // ---- captures ----------------------------------------------------------------------------------------------

    /** Capture {@code i} of a match from {@code from} to {@code to}: the whole match when there are none. */
    LuaValue capture(int i, int from, int to) {
        if (i >= level) {
            if (i == 0) return substring(from, to);
            throw new LuaError("invalid capture index");
        }
        int l = capLen[i];
        if (l == CAP_UNFINISHED) throw new LuaError("unfinished capture");
        if (l == CAP_POSITION) return LuaValue.valueOf(capInit[i] - sInit + 1);
        return substring(capInit[i], capInit[i] + l);
    }

    /** The captures of a match (the whole match when there are none and {@code from >= 0}). */
    LuaValue[] captures(int from, int to) {
        int n = level == 0 && from >= 0 ? 1 : level;
        LuaValue[] out = new LuaValue[n];
        for (int i = 0; i < n; i++) out[i] = capture(i, from, to);
        return out;
    }

    LuaString substring(int from, int to) {
        return LuaString.valueOf(s, from, to - from);
    }
}
