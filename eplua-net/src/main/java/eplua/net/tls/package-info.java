/** TLS contexts and handlers shared by the network modules: verifying clients by default, servers from PEM files. */
package eplua.net.tls;
