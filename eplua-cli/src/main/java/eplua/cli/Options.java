package eplua.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The command line of {@code eplua}, parsed as lua's: options first, then the script and its arguments. */
final class Options {
    /** A command line that makes no sense; the message says why. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static final String USAGE = String.join(System.lineSeparator(),
            "usage: eplua [options] [script [args]]",
            "Runs a Lua script on the eplua engine, then exits once no timer, task or socket is left.",
            "Options:",
            "  -e CODE        run the chunk CODE (may be repeated; runs before the script)",
            "  -i             enter interactive mode (REPL) after running the script / -e chunks",
            "  --run-for N    time limit in seconds: N>0 stop after at most N s (earlier when idle),",
            "                 N<0 run exactly |N| s, 0 run forever (even when idle)",
            "  --modules DIR  load Lua modules (SPI) from every *.jar in DIR (may be repeated)",
            "  -cp, --class-path PATH",
            "                 load Lua modules (SPI) from these jars and class folders, separated by '"
                    + File.pathSeparator + "'",
            "  --sandbox      run the script in the sandbox profile: no luajava, files, processes or environment;",
            "                 the network only where allowed; require only from the script's folder; tight budgets",
            "  --allow-connect HOST:PORT",
            "                 in the sandbox, let scripts connect there ('*' and '*.example.com' hosts, '*' and",
            "                 '8000-8099' ports); may be repeated",
            "  --allow-listen PORT",
            "                 in the sandbox, let scripts listen on PORT (0: any free port); may be repeated",
            "  --allow-env NAME",
            "                 in the sandbox, let os.getenv see the variable NAME; may be repeated",
            "  --types DIR    write the Lua definition files (LuaLS ---@meta) into DIR (then exit if no script);",
            "                 point an editor at them: \"workspace.library\": [\"DIR\"] in .luarc.json",
            "  -v, --version  show the version and exit",
            "  -h, --help     show this help and exit",
            "  --             stop handling options",
            "  -              run standard input as the script",
            "The script sees its arguments in the table arg (arg[0] = script, arg[1..n] = arguments).",
            "Environment: EPLUA_MODULES adds module jars and folders (separated by '" + File.pathSeparator + "');",
            "require looks in the script's folder first, then LUA_PATH_5_2 or LUA_PATH (';;' = the default path).",
            "Exit status: 0 ok; 1 a Lua error (in the main chunk: at once; in a timer, task or callback: the",
            "loop goes on, the status is 1 at the end); 2 bad usage or unreadable script.");

    final List<String> chunks = new ArrayList<>();
    boolean interactive;
    boolean help;
    boolean version;
    /** Folders given with --modules: every *.jar in each holds modules. */
    final List<String> moduleDirs = new ArrayList<>();
    /** Entries of -cp / --class-path, split: jars and class folders. */
    final List<String> classPath = new ArrayList<>();
    /** Where --types writes the definition files, or null. */
    String typesDir;
    /** --sandbox, and what it allows. */
    boolean sandbox;
    final List<String> allowConnect = new ArrayList<>();
    final List<Integer> allowListen = new ArrayList<>();
    final List<String> allowEnv = new ArrayList<>();
    /** Null when --run-for is absent: exit when idle, without time limit. */
    Double runFor;
    /** The script path, "-" for stdin, or null. */
    String script;
    /** Arguments after the script. */
    final List<String> args = new ArrayList<>();
    /** How many command-line words came before the script (they become arg[-n]..arg[-1]). */
    int scriptIndex = -1;
    final List<String> all = new ArrayList<>();

    static Options parse(String... argv) throws UsageException {
        Options o = new Options();
        o.all.addAll(List.of(argv));
        int i = 0;
        while (i < argv.length) {
            String a = argv[i];
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.equals("-") || !a.startsWith("-")) break;
            switch (a) {
                case "-e":
                    if (i + 1 >= argv.length) throw new UsageException("'-e' needs argument");
                    o.chunks.add(argv[++i]);
                    break;
                case "-i":
                    o.interactive = true;
                    break;
                case "-h":
                case "--help":
                    o.help = true;
                    break;
                case "-v":
                case "--version":
                    o.version = true;
                    break;
                case "--run-for":
                    if (i + 1 >= argv.length) throw new UsageException("'--run-for' needs a number of seconds");
                    o.runFor = seconds(argv[++i]);
                    break;
                case "--modules":
                    o.moduleDirs.add(value(argv, ++i, a, "a folder"));
                    break;
                case "-cp":
                case "--class-path":
                    o.classPath.addAll(entries(value(argv, ++i, a, "a path")));
                    break;
                case "--types":
                    o.typesDir = value(argv, ++i, a, "a folder");
                    break;
                case "--sandbox":
                    o.sandbox = true;
                    break;
                case "--allow-connect":
                    o.allowConnect.add(hostPort(value(argv, ++i, a, "HOST:PORT")));
                    break;
                case "--allow-listen":
                    o.allowListen.add(port(value(argv, ++i, a, "a port")));
                    break;
                case "--allow-env":
                    o.allowEnv.add(value(argv, ++i, a, "a variable name"));
                    break;
                default:
                    if (a.startsWith("--modules=")) {
                        o.moduleDirs.add(nonEmpty(a.substring("--modules=".length()), "--modules", "a folder"));
                    } else if (a.startsWith("--class-path=")) {
                        o.classPath.addAll(entries(nonEmpty(a.substring("--class-path=".length()), "--class-path", "a path")));
                    } else if (a.startsWith("--types=")) {
                        o.typesDir = nonEmpty(a.substring("--types=".length()), "--types", "a folder");
                    } else if (a.startsWith("--run-for=")) {
                        o.runFor = seconds(a.substring("--run-for=".length()));
                    } else if (a.startsWith("-e") && a.length() > 2) {
                        o.chunks.add(a.substring(2)); // lua accepts -eCODE too
                    } else {
                        throw new UsageException("unrecognized option '" + a + "'");
                    }
            }
            i++;
        }
        if (i < argv.length) {
            o.scriptIndex = i;
            o.script = argv[i];
            for (int j = i + 1; j < argv.length; j++) o.args.add(argv[j]);
        }
        return o;
    }

    /** The word after option {@code name}, which must be there and not be empty. */
    private static String value(String[] argv, int i, String name, String what) throws UsageException {
        if (i >= argv.length) throw new UsageException("'" + name + "' needs " + what);
        return nonEmpty(argv[i], name, what);
    }

    private static String nonEmpty(String v, String name, String what) throws UsageException {
        if (v.isEmpty()) throw new UsageException("'" + name + "' needs " + what);
        return v;
    }

    private static String hostPort(String v) throws UsageException {
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) throw new UsageException("'--allow-connect' needs HOST:PORT, not '" + v + "'");
        return v;
    }

    private static int port(String v) throws UsageException {
        try {
            int p = Integer.parseInt(v.trim());
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // below
        }
        throw new UsageException("'--allow-listen' needs a port (0-65535), not '" + v + "'");
    }

    /** The entries of a path list (separated as the platform's class path is), without empty ones. */
    static List<String> entries(String path) {
        List<String> out = new ArrayList<>();
        for (String e : path.split(Pattern.quote(File.pathSeparator))) if (!e.isEmpty()) out.add(e);
        return out;
    }

    private static double seconds(String s) throws UsageException {
        try {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) throw new NumberFormatException(s);
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("'--run-for' needs a number of seconds, not '" + s + "'");
        }
    }
}
