package dev.jvmx.devices.rtc;

import java.time.LocalDateTime;
import java.time.YearMonth;

/**
 * The calendar fields an MC146818 time register set holds, in binary and 24-hour form.
 * Conversion to a date clamps fields a guest wrote out of range, as the chip would simply
 * count on from whatever it was given rather than fail.
 */
final class RtcDateTime {
    int second;
    int minute;
    int hour;
    int day;
    int month;
    int year;

    static RtcDateTime of(LocalDateTime t) {
        RtcDateTime d = new RtcDateTime();
        d.second = t.getSecond();
        d.minute = t.getMinute();
        d.hour = t.getHour();
        d.day = t.getDayOfMonth();
        d.month = t.getMonthValue();
        d.year = t.getYear();
        return d;
    }

    LocalDateTime toLocalDateTime() {
        int y = Math.max(1, Math.min(9999, year));
        int mo = Math.max(1, Math.min(12, month));
        int len = YearMonth.of(y, mo).lengthOfMonth();
        return LocalDateTime.of(y, mo, Math.max(1, Math.min(len, day)),
                Math.max(0, Math.min(23, hour)), Math.max(0, Math.min(59, minute)),
                Math.max(0, Math.min(59, second)));
    }
}
