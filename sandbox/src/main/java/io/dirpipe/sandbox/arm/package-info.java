/**
 * A sliver of Azure Resource Manager (FACTS.md §9): resource groups and role assignments of the
 * sandbox subscription, authorised by an Azure RBAC Reader assignment, never by Graph permissions.
 */
package io.dirpipe.sandbox.arm;
