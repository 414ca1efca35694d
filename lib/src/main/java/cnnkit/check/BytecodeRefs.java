package cnnkit.check;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a compiled class refers to, read from its constant pool: the classes it names and the
 * methods and fields it calls or reads. The grader reads this for every class compiled from a
 * student's exercise cell, so that a use of a forbidden class is found however the source spells
 * it (an import, a fully qualified name, {@code var}, a method reference, a subclass).
 */
final class BytecodeRefs {
    /** Internal names (a/b/C) of the classes named, including those inside descriptors. */
    final Set<String> classes = new LinkedHashSet<>();
    /** "owner.name" of every method and field reference. */
    final Set<String> members = new LinkedHashSet<>();

    private BytecodeRefs() {
    }

    static BytecodeRefs read(byte[] classFile) {
        BytecodeRefs refs = new BytecodeRefs();
        try {
            refs.parse(new DataInputStream(new ByteArrayInputStream(classFile)));
        } catch (IOException e) {
            throw new IllegalArgumentException("not a class file: " + e.getMessage(), e);
        }
        return refs;
    }

    private void parse(DataInputStream in) throws IOException {
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("bad magic number");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classIndex = new int[count];
        int[][] refs = new int[count][];
        int[][] nameAndType = new int[count][];
        List<String> descriptors = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++; // a long or double takes two entries
                }
                case 7 -> classIndex[i] = in.readUnsignedShort();
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11 -> refs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                case 17, 18 -> {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
            }
        }
        for (int i = 1; i < count; i++) {
            if (classIndex[i] != 0) {
                addClass(utf8[classIndex[i]]);
            }
            if (nameAndType[i] != null) {
                descriptors.add(utf8[nameAndType[i][1]]);
            }
        }
        for (int i = 1; i < count; i++) {
            if (refs[i] != null) {
                String owner = utf8[classIndex[refs[i][0]]];
                members.add(owner + "." + utf8[nameAndType[refs[i][1]][0]]);
            }
            if (utf8[i] != null && (utf8[i].startsWith("(") || utf8[i].startsWith("L") || utf8[i].startsWith("["))) {
                descriptors.add(utf8[i]);
            }
        }
        for (String d : descriptors) {
            int at = d.indexOf('L');
            while (at >= 0) {
                int end = d.indexOf(';', at);
                if (end < 0) {
                    break;
                }
                classes.add(d.substring(at + 1, end));
                at = d.indexOf('L', end);
            }
        }
    }

    private void addClass(String name) {
        String n = name;
        while (n.startsWith("[")) {
            n = n.substring(1);
        }
        if (n.startsWith("L") && n.endsWith(";")) {
            n = n.substring(1, n.length() - 1);
        }
        classes.add(n);
    }

    /** Whether a class of the package {@code pattern} ("a.b.*", subpackages included) is named. */
    boolean namesPackage(String pattern) {
        String prefix = pattern.substring(0, pattern.length() - 1).replace('.', '/');
        return classes.stream().anyMatch(c -> c.startsWith(prefix));
    }

    /** Whether {@code binaryName} (a.b.C) or one of its nested classes is named. */
    boolean names(String binaryName) {
        String internal = binaryName.replace('.', '/');
        for (String c : classes) {
            if (c.equals(internal) || c.startsWith(internal + "$")) {
                return true;
            }
        }
        return false;
    }
}
