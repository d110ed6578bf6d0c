struct __half_constexpr : __half {  // NOLINT
  constexpr explicit inline __half_constexpr(uint16_t u) : __half() { __x = u; }
};
