/* The schema's lists: what schema.h names, gathered where code walks them. */
#include "dosesim/schema.h"

const char *const ds_result_file_names[DS_RESULT_FILES] = {DS_SUMMARY_FILE, DS_DOSES_FILE,
                                                           DS_SAMPLE_SIZE_FILE, DS_DURATION_FILE};
