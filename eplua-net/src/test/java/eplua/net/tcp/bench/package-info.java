/** TCP benchmarks run by hand (dev/bench/tcp/run.sh), never by the test suite. */
package eplua.net.tcp.bench;
