# SPDX-License-Identifier: MIT
# ---------------------------------------------------------------- ACPI (acpi/)
# The built-in AML: acpi/*.asl are run through cpp (for #include and the link/_PRT macros),
# compiled by iasl (warnings are errors) with a namespace offset table, and turned into C by
# build/aml2c.py. Everything generated stays in $(OUT)/acpi/.
AML_TABLES := dsdt-pc dsdt-q35 ssdt-s3 ssdt-s4
AML_SRCS   := $(patsubst %,$(OUT)/acpi/%.c,$(AML_TABLES))
AML_ASL    := $(wildcard acpi/*.asl)

$(OUT)/acpi/%.aml: acpi/%.asl $(AML_ASL)
	@mkdir -p $(dir $@)
	$(Q)gcc -E -P -x c -undef -nostdinc -Iacpi $< -o $(OUT)/acpi/$*.pp.asl
	$(Q)iasl -vs -we -p $(OUT)/acpi/$* -so $(OUT)/acpi/$*.pp.asl >$(OUT)/acpi/$*.iasl.log 2>&1 || \
		{ cat $(OUT)/acpi/$*.iasl.log; exit 1; }

$(OUT)/acpi/%.c: $(OUT)/acpi/%.aml build/aml2c.py
	$(Q)$(PYTHON) build/aml2c.py aml_$(subst -,_,$*) $< $(OUT)/acpi/$*.offset.h $@

.PRECIOUS: $(OUT)/acpi/%.aml
.PHONY: aml acpi-diff acpi-system
aml: $(AML_SRCS)

# One QEMU command line, QEMU's tables against the built-in ones (test/acpi-diff.py).
acpi-diff: all guest
	$(Q)$(PYTHON) test/acpi-diff.py $(CONFIG)

# The built-in ACPI system tests including the heavy configurations (16 vCPUs, more machine
# types) that `make check` leaves out; prints each configuration's time.
acpi-system: all guest
	$(Q)QVM_ACPI_HEAVY=1 $(PYTHON) -m pytest -q --durations=0 test/system/test_acpi.py $(PYTEST_ARGS)
