/** The engine's internals, one package per concern; nothing here is API for hosts or modules. */
package eplua.core.internal;
