// PNG and JPEG decoding through libpng and libjpeg-turbo. Both report errors by longjmp: the jumps stay
// inside this file (each decode function owns its setjmp), so Swift sees only return codes.
#include "image_codecs.h"

#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set_message(dlx_image *out, int code, const char *text) {
    snprintf(out->message, sizeof out->message, "%s", text);
    return code;
}

/* ---- PNG ---- */

typedef struct {
    const uint8_t *data;
    size_t size;
    size_t at;
    dlx_image *out;
} png_source;

static void png_read_memory(png_structp png, png_bytep dest, size_t count) {
    png_source *src = (png_source *)png_get_io_ptr(png);
    if (count > src->size - src->at) {
        png_error(png, "image file is truncated");
    }
    memcpy(dest, src->data + src->at, count);
    src->at += count;
}

static void png_on_error(png_structp png, png_const_charp message) {
    png_source *src = (png_source *)png_get_error_ptr(png);
    snprintf(src->out->message, sizeof src->out->message, "%s", message);
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp message) {
    (void)png;
    (void)message;
}

static int decode_png(const uint8_t *data, size_t size, size_t max_pixels, dlx_image *out) {
    png_source src = {data, size, 0, out};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &src, png_on_error, png_on_warning);
    if (!png) return set_message(out, DLX_IMAGE_NO_MEMORY, "out of memory");
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return set_message(out, DLX_IMAGE_NO_MEMORY, "out of memory");
    }
    /* volatile: modified between setjmp and a longjmp back to it. */
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    volatile int code = DLX_IMAGE_BROKEN;
    volatile int image_read = 0;
    volatile png_uint_32 width = 0, height = 0;
    volatile int channels = 0;
    if (setjmp(png_jmpbuf(png))) {
        if (image_read) goto done;   /* what follows the pixels (a bad chunk, no IEND): Pillow ignores it too */
        free(pixels);
        free(rows);
        png_destroy_read_struct(&png, &info, NULL);
        return code;
    }
    png_set_read_fn(png, &src, png_read_memory);
    /* The caps libpng itself checks while reading the header (its default is 1,000,000 each way). */
    png_set_user_limits(png, 1 << 16, 1 << 16);
    png_set_chunk_malloc_max(png, 64u << 20);
    /* A file whose header does not parse is not an image Pillow can identify. */
    code = DLX_IMAGE_UNIDENTIFIED;
    png_read_info(png, info);
    code = DLX_IMAGE_BROKEN;
    width = png_get_image_width(png, info);
    height = png_get_image_height(png, info);
    int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if ((size_t)width * height > max_pixels) {
        code = DLX_IMAGE_TOO_LARGE;
        snprintf(out->message, sizeof out->message, "Image size (%zu pixels) exceeds limit of %zu pixels",
                 (size_t)width * height, max_pixels);
        png_longjmp(png, 1);
    }
    if (color == PNG_COLOR_TYPE_PALETTE) {
        png_set_palette_to_rgb(png);
        if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    }
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (depth == 16) png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (channels < 1 || channels > 4 || rowbytes != (size_t)width * channels) {
        snprintf(out->message, sizeof out->message, "unsupported PNG layout");
        png_longjmp(png, 1);
    }
    pixels = malloc(rowbytes * height + 1);
    rows = malloc(sizeof(png_bytep) * (height + 1));
    if (!pixels || !rows) {
        code = DLX_IMAGE_NO_MEMORY;
        snprintf(out->message, sizeof out->message, "out of memory");
        png_longjmp(png, 1);
    }
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + y * rowbytes;
    png_read_image(png, rows);
    image_read = 1;
    png_read_end(png, NULL);
done:
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    out->width = (int)width;
    out->height = (int)height;
    out->channels = channels;
    out->format = DLX_IMAGE_PNG;
    out->pixels = pixels;
    return DLX_IMAGE_OK;
}

/* ---- JPEG ---- */

typedef struct {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    dlx_image *out;
    int premature_end;   /* libjpeg warned that the data ended early (it pads with grey and goes on) */
} jpeg_error;

static void jpeg_on_error(j_common_ptr cinfo) {
    jpeg_error *e = (jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(e->out->message, sizeof e->out->message, "%s", text);
    longjmp(e->jump, 1);
}

static void jpeg_on_message(j_common_ptr cinfo, int level) {
    jpeg_error *e = (jpeg_error *)cinfo->err;
    if (level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) e->premature_end = 1;
}

static int decode_jpeg(const uint8_t *data, size_t size, size_t max_pixels, dlx_image *out) {
    struct jpeg_decompress_struct cinfo;
    jpeg_error err;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = jpeg_on_error;
    err.base.emit_message = jpeg_on_message;
    err.out = out;
    err.premature_end = 0;
    uint8_t *volatile pixels = NULL;
    volatile int code = DLX_IMAGE_BROKEN;
    if (setjmp(err.jump)) {
        free(pixels);
        jpeg_destroy_decompress(&cinfo);
        /* Data that ends early: Pillow's marker reader stops with this OSError. */
        if (err.premature_end) {
            code = DLX_IMAGE_BROKEN;
            snprintf(out->message, sizeof out->message, "Truncated File Read");
        }
        return code;
    }
    jpeg_create_decompress(&cinfo);
    /* Progressive files may hold many scans: libjpeg-turbo caps them when asked to. */
    cinfo.mem->max_memory_to_use = 512L << 20;
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    code = DLX_IMAGE_UNIDENTIFIED;
    jpeg_read_header(&cinfo, TRUE);
    code = DLX_IMAGE_BROKEN;
    if ((size_t)cinfo.image_width * cinfo.image_height > max_pixels) {
        code = DLX_IMAGE_TOO_LARGE;
        snprintf(out->message, sizeof out->message, "Image size (%zu pixels) exceeds limit of %zu pixels",
                 (size_t)cinfo.image_width * cinfo.image_height, max_pixels);
        longjmp(err.jump, 1);
    }
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        snprintf(out->message, sizeof out->message, "CMYK JPEG images are not supported");
        longjmp(err.jump, 1);
    }
    cinfo.out_color_space = cinfo.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    int channels = cinfo.output_components;
    size_t rowbytes = (size_t)cinfo.output_width * channels;
    pixels = malloc(rowbytes * cinfo.output_height + 1);
    if (!pixels) {
        code = DLX_IMAGE_NO_MEMORY;
        snprintf(out->message, sizeof out->message, "out of memory");
        longjmp(err.jump, 1);
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = pixels + (size_t)cinfo.output_scanline * rowbytes;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    /* A truncated file: libjpeg fills the rest with grey and warns; Pillow refuses it (in its words). */
    if (err.premature_end) {
        snprintf(out->message, sizeof out->message, "Truncated File Read");
        longjmp(err.jump, 1);
    }
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    out->channels = channels;
    out->format = DLX_IMAGE_JPEG;
    out->pixels = pixels;
    jpeg_destroy_decompress(&cinfo);
    return DLX_IMAGE_OK;
}

int dlx_image_decode(const uint8_t *data, size_t size, size_t max_pixels, dlx_image *out) {
    memset(out, 0, sizeof *out);
    static const uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    if (size >= 8 && memcmp(data, png_signature, 8) == 0) return decode_png(data, size, max_pixels, out);
    if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return decode_jpeg(data, size, max_pixels, out);
    return set_message(out, DLX_IMAGE_UNIDENTIFIED, "cannot identify image file");
}

void dlx_image_free(dlx_image *image) {
    free(image->pixels);
    image->pixels = NULL;
}
