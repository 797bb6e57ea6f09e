#ifndef MINI_VERSION_H
#define MINI_VERSION_H

#define MINI_VERSION "0.1.0"
#define MINI_SPEC_VERSION "1.3.0"

#endif
