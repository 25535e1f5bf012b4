/* Shared by the dhcp4_process() unit tests (test-dhcp4*.c): the basic
 * configuration, client MACs and the DISCOVER / REQUEST builders. */
#pragma once

#include <stdint.h>

#include "dhcp/proto.h"
#include "helpers-engine.h"
#include "util/macro.h"

#define A(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (d))

static const uint8_t MAC1[6] UNUSED = {0x02, 0, 0, 0, 0, 1};
static const uint8_t MAC2[6] UNUSED = {0x02, 0, 0, 0, 0, 2};
static const uint8_t MAC3[6] UNUSED = {0x02, 0, 0, 0, 0, 3};
static const uint8_t MAC4[6] UNUSED = {0x02, 0, 0, 0, 0, 4};

UNUSED static const char *CFG_BASIC =
        "{\"Dhcp4\": {"
        " \"interfaces-config\": {\"interfaces\": [\"eth0\"]},"
        " \"lease-database\": {\"type\": \"memfile\", \"persist\": false},"
        " \"valid-lifetime\": 3600,"
        " \"option-data\": [{\"name\": \"domain-name-servers\", \"data\": \"192.0.2.53\"},"
        "                   {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\"}],"
        " \"subnet4\": ["
        "  {\"id\": 1, \"subnet\": \"192.0.2.0/24\","
        "   \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.20\"}],"
        "   \"option-data\": [{\"name\": \"routers\", \"data\": \"192.0.2.1\"}]},"
        "  {\"id\": 2, \"subnet\": \"10.0.0.0/16\","
        "   \"pools\": [{\"pool\": \"10.0.1.1 - 10.0.1.3\"}]}"
        " ]"
        "}}";

UNUSED static int setup_basic(void **state)
{
	*state = eng_env_new(CFG_BASIC);
	return 0;
}

UNUSED static int teardown(void **state)
{
	eng_env_free(*state);
	return 0;
}

UNUSED static verdict_t discover(eng_env_t *e, const uint8_t *mac)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPDISCOVER, mac);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

UNUSED static verdict_t request_selecting(eng_env_t *e, const uint8_t *mac, uint32_t addr, uint32_t sid)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_opt_addr(&p, DHO_DHCP_REQUESTED_ADDRESS, addr);
	eng_pkt_opt_addr(&p, DHO_DHCP_SERVER_IDENTIFIER, sid);
	eng_pkt_end(&p);
	return eng_send(e, &p);
}

/* A renewing REQUEST (ciaddr set), unicast to the server or not. */
UNUSED static verdict_t renew(eng_env_t *e, const uint8_t *mac, uint32_t ciaddr, bool unicast)
{
	eng_pkt_t p;

	eng_pkt_init(&p, DHCPREQUEST, mac);
	eng_pkt_set_ciaddr(&p, ciaddr);
	if (unicast) {
		eng_pkt_unicast(&p, ciaddr);
	} else {
		p.src_addr = ciaddr;
	}
	eng_pkt_end(&p);
	return eng_send(e, &p);
}
