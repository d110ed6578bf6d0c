    cusolver_int_t n = 1000;
    cusolver_int_t lda = n + 1;
