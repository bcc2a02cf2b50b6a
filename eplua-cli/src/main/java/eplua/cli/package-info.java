/** The {@code eplua} command: runs Lua scripts, {@code -e} chunks and a REPL on a javax.script eplua engine. */
package eplua.cli;
