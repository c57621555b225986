///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 17+
//JAVA_OPTIONS -Dsun.misc.unsafe.memory.access=allow
//DEPS io.undertow:undertow-core:2.3.27.Final
//DEPS org.java-websocket:Java-WebSocket:1.6.0
//DEPS org.slf4j:slf4j-jdk14:2.0.17
//DEPS com.fasterxml.jackson.core:jackson-databind:2.21.2
//DEPS info.picocli:picocli:4.7.7
//SOURCES ../src/main/java/relaylab/classroom/*.java
//SOURCES ../src/main/java/relaylab/workbook/*.java
//SOURCES ../src/main/java/relaylab/realtime/*.java
//SOURCES ../src/main/java/relaylab/realtime/client/*.java
//SOURCES ../src/main/java/relaylab/realtime/internal/*.java
//SOURCES ../src/main/java/relaylab/realtime/protocol/*.java
//FILES relaylab/realtime/socket.io.js=../src/main/resources/relaylab/realtime/socket.io.js
//FILES relaylab/classroom/index.html=../src/main/resources/relaylab/classroom/index.html
//FILES relaylab/classroom/dashboard.js=../src/main/resources/relaylab/classroom/dashboard.js
//FILES relaylab/classroom/dashboard.css=../src/main/resources/relaylab/classroom/dashboard.css

/** The live classroom dashboard: {@code ./jbang classroom}. Everything it does lives in relaylab.classroom. */
public class Classroom {
    public static void main(String[] args) {
        relaylab.classroom.ClassroomCommand.main(args);
    }
}
