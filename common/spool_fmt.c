/* spool_fmt.c — the spool's on-disk format (see spool_int.h): segment file
 * names, segment headers and record headers, encoded and checked. Pure: no
 * I/O; byte order is spelled out so files move between machines. */
#include "spool_int.h"

#include <stdio.h>
#include <string.h>

static void
put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t
get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void
spool_seg_name(char name[SPOOL_SEG_NAME_MAX], long long id)
{
	snprintf(name, SPOOL_SEG_NAME_MAX, "seg-%016llx.spool", (unsigned long long)id);
}

/* Accepts exactly what spool_seg_name writes (lower-case hex), so a stray
 * "seg-1.spool" or "seg-...spool~" is never taken for a segment. */
int
spool_seg_parse_name(const char *name, long long *id)
{
	unsigned long long v = 0;

	if (strlen(name) != 26 || strncmp(name, "seg-", 4) != 0 || strcmp(name + 20, ".spool") != 0)
		return -1;
	for (int i = 4; i < 20; i++) {
		char c = name[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (unsigned)(c - 'a' + 10);
		else
			return -1;
	}
	if (v > (unsigned long long)INT64_MAX)
		return -1;
	*id = (long long)v;
	return 0;
}

void
spool_seg_hdr_encode(unsigned char hdr[SPOOL_SEG_HDR], long long id)
{
	uint64_t v = (uint64_t)id;

	memcpy(hdr, SPOOL_SEG_MAGIC, SPOOL_SEG_MAGIC_LEN);
	hdr[7] = SPOOL_SEG_VERSION;
	put_le32(hdr + 8, (uint32_t)v);
	put_le32(hdr + 12, (uint32_t)(v >> 32));
}

/* NULL when hdr is a header of this version for segment id, else why not. */
const char *
spool_seg_hdr_check(const unsigned char hdr[SPOOL_SEG_HDR], long long id)
{
	uint64_t v;

	if (memcmp(hdr, SPOOL_SEG_MAGIC, SPOOL_SEG_MAGIC_LEN) != 0)
		return "not_a_spool_segment";
	if (hdr[7] != SPOOL_SEG_VERSION)
		return "unsupported_version";
	v = (uint64_t)get_le32(hdr + 8) | (uint64_t)get_le32(hdr + 12) << 32;
	if (v != (uint64_t)id)
		return "header_names_another_segment";
	return NULL;
}

/* A header that never fully reached the disk: the file is shorter than a
 * header and holds a prefix of the right one, or the header is all zero (what
 * a file system may leave after power loss when the size of a new file got to
 * the disk but its first block did not). size: the file's; hdr is
 * zero-filled past it. */
int
spool_seg_hdr_is_torn(const unsigned char hdr[SPOOL_SEG_HDR], long long size, long long id)
{
	unsigned char want[SPOOL_SEG_HDR];
	int blank = 1;

	for (int i = 0; i < SPOOL_SEG_HDR; i++)
		blank &= hdr[i] == 0;
	if (blank)
		return 1;
	spool_seg_hdr_encode(want, id);
	return size < SPOOL_SEG_HDR && memcmp(hdr, want, (size_t)size) == 0;
}

void
spool_rec_hdr_encode(unsigned char hdr[SPOOL_REC_HDR], int type, const void *data, size_t len)
{
	put_le32(hdr + 4, (uint32_t)len);
	hdr[8] = (unsigned char)type;
	hdr[9] = hdr[10] = hdr[11] = 0;
	put_le32(hdr, spool_crc32c(spool_crc32c(0, hdr + 4, 8), data, len));
}

/* NULL when the header's fields are possible, else why not; the CRC is
 * checked once the payload is at hand (spool_rec_crc_ok). */
const char *
spool_rec_hdr_check(const unsigned char hdr[SPOOL_REC_HDR], uint32_t *len, int *type)
{
	*len = get_le32(hdr + 4);
	*type = hdr[8];
	if (*len > SPOOL_RECORD_MAX)
		return "length_too_big";
	if (*type == 0)
		return "zero_type";
	if (hdr[9] != 0 || hdr[10] != 0 || hdr[11] != 0)
		return "nonzero_padding";
	return NULL;
}

int
spool_rec_crc_ok(const unsigned char hdr[SPOOL_REC_HDR], const unsigned char *data, size_t len)
{
	return get_le32(hdr) == spool_crc32c(spool_crc32c(0, hdr + 4, 8), data, len);
}
