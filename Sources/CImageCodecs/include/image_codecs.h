#ifndef DLX_IMAGE_CODECS_H
#define DLX_IMAGE_CODECS_H

#include <stddef.h>
#include <stdint.h>

/// What a decode gives: 8-bit pixels, row-major, channels interleaved (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA).
/// `pixels` is malloc'ed by the decoder; free it with dlx_image_free.
typedef struct {
    int width;
    int height;
    int channels;
    int format;          /* DLX_IMAGE_PNG or DLX_IMAGE_JPEG */
    uint8_t *pixels;
    char message[200];   /* why a decode failed */
} dlx_image;

enum { DLX_IMAGE_PNG = 1, DLX_IMAGE_JPEG = 2 };

enum {
    DLX_IMAGE_OK = 0,
    DLX_IMAGE_UNIDENTIFIED = 1,   /* neither a PNG nor a JPEG signature */
    DLX_IMAGE_BROKEN = 2,         /* the decoder failed: `message` says why */
    DLX_IMAGE_TOO_LARGE = 3,      /* more pixels than the cap */
    DLX_IMAGE_NO_MEMORY = 4,
};

/// Decodes a PNG (any bit depth, palette and grey expanded to 8 bits, 16 bits stripped to 8) or a JPEG
/// (baseline or progressive; grey stays grey, colour becomes RGB) from memory. Never longjmps past its
/// caller and never aborts: errors (truncated or corrupt data, absurd sizes) come back as codes.
int dlx_image_decode(const uint8_t *data, size_t size, size_t max_pixels, dlx_image *out);

void dlx_image_free(dlx_image *image);

#endif
