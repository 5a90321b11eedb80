/*
 * Native oracle: runs the guest workload on the host CPU and prints the line
 * the guests must print (without line ending). Built and run by the Makefile
 * to produce images/first-guest.expected and images/crc-mb.expected.
 */
#include <stdio.h>
#include "workload.h"

int main(void)
{
    char line[64];
    workload();
    workload_format(line);
    fputs(line, stdout);
    return workload_result.ok ? 0 : 1;
}
