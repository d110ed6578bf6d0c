#include <cudnn_frontend.h>
namespace fe = cudnn_frontend;
    auto graph = std::make_shared<fe::graph::Graph>();
    auto sdpa_options = fe::graph::SDPA_attributes().set_name("flash_attention");
