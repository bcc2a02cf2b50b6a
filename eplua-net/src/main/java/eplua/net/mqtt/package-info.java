/** The MQTT 3.1.1 client module ({@code mqtt.Client}, {@code net.MQTTClient}) on Netty's MQTT codec. */
package eplua.net.mqtt;
