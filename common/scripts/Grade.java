///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//DEPS org.junit.jupiter:junit-jupiter:5.14.1
//DEPS org.junit.platform:junit-platform-launcher:1.14.1
//DEPS org.assertj:assertj-core:3.27.6
//DEPS org.seleniumhq.selenium:selenium-java:4.49.0
//DEPS redis.clients:jedis:8.0.2
//DEPS com.github.codemonstur:embedded-redis:1.4.4
//DEPS org.mongodb:mongodb-driver-sync:5.14.0
//DEPS de.bwaldvogel:mongo-java-server:1.47.0
//DEPS de.bwaldvogel:mongo-java-server-h2-backend:1.47.0
//DEPS com.cronutils:cron-utils:9.2.1
//DEPS me.tongfei:progressbar:0.10.2
//DEPS com.bucket4j:bucket4j_jdk17-core:8.14.0
//DEPS org.msgpack:msgpack-core:0.9.10
//DEPS io.github.java-diff-utils:java-diff-utils:4.12
//SOURCES ../src/main/java/relaylab/**.java
//FILES relaylab/realtime/socket.io.js=../src/main/resources/relaylab/realtime/socket.io.js

/** The workbook's grader: {@code ./jbang grade 01}. Everything it does lives in relaylab.grader. */
public class Grade {
    public static void main(String[] args) {
        relaylab.grader.GradeCommand.main(args);
    }
}
