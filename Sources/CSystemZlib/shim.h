// zlib (Debian: zlib1g-dev) inflates the IMDB .tar.gz as a stream.
#include <zlib.h>
