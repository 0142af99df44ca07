// HDF5's C library (Debian: libhdf5-dev; its include and library folders come from
// pkg-config's hdf5.pc) reads Keras' .h5 and .weights.h5 files. HDF5 spells its defaults
// and native types as macros and versioned API names, which Swift cannot import: the small
// functions below name them once.
#include <stdlib.h>
#include <string.h>
#include <hdf5.h>

static inline hid_t gradlab_h5_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t gradlab_h5_default(void) { return H5P_DEFAULT; }
static inline hid_t gradlab_h5_all(void) { return H5S_ALL; }
static inline unsigned gradlab_h5_read_only(void) { return H5F_ACC_RDONLY; }
static inline hid_t gradlab_h5_default_stack(void) { return H5E_DEFAULT; }

/// Turns off HDF5's printing of error stacks to stderr: GradLab reports errors itself.
static inline void gradlab_h5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }

/// Opens an HDF5 file image held in memory (a .keras archive's model.weights.h5) read-only;
/// negative on failure. HDF5's core driver refuses an image whose name exists on disk, so the
/// name is one that cannot exist: a path below /dev/null, which is never a folder.
static inline hid_t gradlab_h5_open_image(const void *bytes, size_t count) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  hid_t file = -1;
  if (H5Pset_fapl_core(fapl, 1 << 16, 0) >= 0 && H5Pset_file_image(fapl, (void *)bytes, count) >= 0)
    file = H5Fopen("/dev/null/model.weights.h5", H5F_ACC_RDONLY, fapl);
  H5Pclose(fapl);
  return file;
}

typedef void (*gradlab_h5_dataset_callback)(const char *path, void *context);

struct gradlab_h5_visit_context {
  gradlab_h5_dataset_callback callback;
  void *context;
};

#if H5_VERSION_GE(1, 12, 0)
typedef H5L_info2_t gradlab_h5_link_info;
#else
typedef H5L_info_t gradlab_h5_link_info;
#endif

static inline herr_t gradlab_h5_visit_link(hid_t group, const char *name, const gradlab_h5_link_info *info, void *data) {
  (void)info;
  struct gradlab_h5_visit_context *visit = (struct gradlab_h5_visit_context *)data;
  hid_t object = H5Oopen(group, name, H5P_DEFAULT);
  if (object < 0) return 0;
  if (H5Iget_type(object) == H5I_DATASET) visit->callback(name, visit->context);
  H5Oclose(object);
  return 0;
}

/// Calls `callback` with the path of every dataset below the file's root, in name order.
static inline herr_t gradlab_h5_visit_datasets(hid_t file, gradlab_h5_dataset_callback callback, void *context) {
  struct gradlab_h5_visit_context visit = {callback, context};
  return H5Lvisit(file, H5_INDEX_NAME, H5_ITER_INC, gradlab_h5_visit_link, &visit);
}

/// The string attribute `name` of the object `object` (fixed or variable length) as a
/// malloc'd C string the caller frees; NULL when it is missing or not a string.
static inline char *gradlab_h5_string_attribute(hid_t object, const char *name) {
  if (H5Aexists(object, name) <= 0) return NULL;
  hid_t attribute = H5Aopen(object, name, H5P_DEFAULT);
  if (attribute < 0) return NULL;
  hid_t type = H5Aget_type(attribute);
  char *result = NULL;
  if (type >= 0 && H5Tget_class(type) == H5T_STRING) {
    hid_t memory = H5Tcopy(H5T_C_S1);
    if (H5Tis_variable_str(type) > 0) {
      char *value = NULL;
      H5Tset_size(memory, H5T_VARIABLE);
      if (H5Aread(attribute, memory, &value) >= 0 && value != NULL) {
        result = strdup(value);
        H5free_memory(value);
      }
    } else {
      size_t size = H5Tget_size(type);
      H5Tset_size(memory, size + 1);
      result = (char *)calloc(size + 1, 1);
      if (result != NULL && H5Aread(attribute, memory, result) < 0) {
        free(result);
        result = NULL;
      }
    }
    H5Tclose(memory);
  }
  if (type >= 0) H5Tclose(type);
  H5Aclose(attribute);
  return result;
}
