package dev.jvmx.runtime.board;

import dev.jvmx.devices.ata.AtaDevice;
import dev.jvmx.devices.ata.AtaDisk;
import dev.jvmx.devices.ata.AtapiCdrom;
import dev.jvmx.devices.ata.BlockImage;
import dev.jvmx.devices.ata.RawImage;
import dev.jvmx.devices.ata.SnapshotImage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The four IDE drives of the board (index 0 primary master .. 3 secondary slave): their
 * images opened and locked, the ATA disks and ATAPI CD-ROMs over them, and at the end the
 * last flush, the error counts and the release of the locks.
 */
public final class IdeDrives implements AutoCloseable {
    private final DriveSpec[] slots;
    private final AtaDevice[] devices = new AtaDevice[DriveSpec.MAX_DRIVES];
    private boolean closed;

    private IdeDrives(DriveSpec[] slots) {
        this.slots = slots;
    }

    /**
     * Opens every drive. A bad drive (missing image, a directory, a locked image, a size that
     * is not whole sectors, an image in another format) is a one-line IllegalArgumentException
     * naming its option; the images opened before it are closed again.
     */
    public static IdeDrives open(List<DriveSpec> specs, Consumer<String> errorLog) {
        IdeDrives d = new IdeDrives(DriveSpec.assign(specs));
        try {
            for (int i = 0; i < DriveSpec.MAX_DRIVES; i++) {
                if (d.slots[i] != null) {
                    d.devices[i] = device(d.slots[i]);
                    d.devices[i].setErrorLog(errorLog);
                }
            }
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
        return d;
    }

    private static AtaDevice device(DriveSpec s) {
        boolean cdrom = s.media == DriveSpec.Media.CDROM;
        if (s.file == null) {
            return new AtapiCdrom(null);
        }
        String what = cdrom ? "CD-ROM image" : "disk image";
        BlockImage image = null;
        try {
            if (!s.formatGiven) {
                refuseOtherFormats(s.file);
            }
            RawImage raw = RawImage.open(s.file, s.effectivelyReadOnly() || s.snapshot, what);
            image = s.snapshot ? new SnapshotImage(raw) : raw;
            return cdrom ? new AtapiCdrom(image) : new AtaDisk(image);
        } catch (IllegalArgumentException e) {
            if (image != null) {
                try {
                    image.close();
                } catch (IOException ignored) {
                    // the refusal is what the user needs to read
                }
            }
            throw new IllegalArgumentException((s.option.equals("IMAGE") ? "" : s.option + ": ") + e.getMessage());
        }
    }

    /** QEMU guesses a format when none is given; jvmx reads raw only, so it refuses what is plainly not raw. */
    private static void refuseOtherFormats(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return; // RawImage.open says what is wrong
        }
        byte[] head = new byte[4];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 4) < 4) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        String format = null;
        if (head[0] == 'Q' && head[1] == 'F' && head[2] == 'I' && (head[3] & 0xFF) == 0xFB) {
            format = "qcow2";
        } else if (head[0] == 'K' && head[1] == 'D' && head[2] == 'M' && head[3] == 'V') {
            format = "vmdk";
        } else if (head[0] == 'c' && head[1] == 'o' && head[2] == 'n' && head[3] == 'e') {
            format = "vpc";
        }
        if (format != null) {
            throw new IllegalArgumentException(file + " is a " + format + " image; jvmx reads raw images only"
                    + " (convert it: qemu-img convert -O raw " + file + " " + file + ".raw)");
        }
    }

    /** The device at index 0..3, or null. */
    public AtaDevice device(int index) {
        return devices[index];
    }

    public DriveSpec slot(int index) {
        return slots[index];
    }

    public boolean isEmpty() {
        for (DriveSpec s : slots) {
            if (s != null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Makes what the guest wrote durable and releases every image and its lock. Returns the
     * lines the user should read: a failed last flush, and the I/O errors the guest was told
     * of. Safe to call twice.
     */
    @Override
    public void close() {
        closeAndReport();
    }

    public List<String> closeAndReport() {
        List<String> lines = new ArrayList<>();
        if (closed) {
            return lines;
        }
        closed = true;
        for (int i = 0; i < DriveSpec.MAX_DRIVES; i++) {
            AtaDevice d = devices[i];
            if (d == null || d.image() == null) {
                continue;
            }
            String name = d.kind() + " " + d.image().name();
            try {
                d.image().flush();
            } catch (IOException e) {
                lines.add(name + ": the last flush failed, what the guest wrote may not be on disk: " + e.getMessage());
            }
            String errors = d.errorSummary();
            if (errors != null) {
                lines.add(name + ": " + errors);
            }
            try {
                d.image().close();
            } catch (IOException e) {
                lines.add(name + ": closing the image failed: " + e.getMessage());
            }
        }
        return lines;
    }
}
